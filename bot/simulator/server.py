"""A fake Telegram Bot API server on 127.0.0.1, for end-to-end tests and the terminal demo.

It speaks the real HTTP protocol (`/bot<token>/<method>`, multipart or JSON, `{"ok": ...}` replies),
keeps chats and messages, long-polls `getUpdates` and pushes to a webhook with the secret header, and
fails the way Telegram does: HTML that does not parse, edits that change nothing, blocked users (403),
flood limits (429 with retry_after), upgraded groups (400 with migrate_to_chat_id) and injected errors.
Tests drive the "users" with `user_sends` / `user_clicks` and wait for the bot's answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, ClientTimeout, web

from bot.simulator.markup import MAX_CAPTION, MAX_TEXT, EntityError, visible_text

BOT_USER = {"id": 777000111, "is_bot": True, "first_name": "Migrant Help (test)", "username": "test_bot"}
_INT_KEYS = {
    "chat_id",
    "from_chat_id",
    "message_id",
    "offset",
    "limit",
    "timeout",
    "message_thread_id",
    "user_id",
    "cache_time",
    "max_connections",
}
_SENDING = {
    "sendmessage",
    "senddocument",
    "sendphoto",
    "copymessage",
    "forwardmessage",
    "sendlocation",
    "sendvideo",
    "sendaudio",
    "sendvoice",
}
UPDATE_TYPES = ("message", "edited_message", "callback_query", "my_chat_member", "chat_member")


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


@dataclass
class Failure:
    method: str
    code: int
    description: str
    retry_after: int | None = None
    chat_id: int | None = None
    times: int = 1


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    ok: bool
    at: float
    error: str | None = None


@dataclass(frozen=True)
class Button:
    text: str
    callback_data: str | None
    url: str | None


@dataclass
class Sent:
    """A message as the user sees it now (edits applied)."""

    data: dict[str, Any]

    @property
    def chat_id(self) -> int:
        return int(self.data["chat"]["id"])

    @property
    def message_id(self) -> int:
        return int(self.data["message_id"])

    @property
    def text(self) -> str:
        return str(self.data.get("text") or self.data.get("caption") or "")

    @property
    def document(self) -> dict[str, Any] | None:
        return self.data.get("document")

    @property
    def buttons(self) -> list[Button]:
        markup = self.data.get("reply_markup") or {}
        return [
            Button(b.get("text", ""), b.get("callback_data"), b.get("url"))
            for row in markup.get("inline_keyboard", [])
            for b in row
        ]

    def button(self, label: str) -> Button:
        """The first button whose text contains `label` (case-insensitive)."""
        for b in self.buttons:
            if label.lower() in b.text.lower():
                return b
        raise LookupError(f"no button {label!r} in {[b.text for b in self.buttons]}")


@dataclass
class FakeTelegram:
    token: str | None = None  # if set, other tokens get 401 like a revoked token
    enforce_limits: bool = False  # 429 past 30 msg/s overall, bursts in one chat, 20/min per group
    latency: float = 0.0  # seconds added to every call (benchmarks)
    max_poll: float = 25.0
    calls: list[Call] = field(default_factory=list)  # completed calls, in order of completion
    received: list[str] = field(default_factory=list)  # method names in order of arrival
    arrivals: list[tuple[str, float]] = field(default_factory=list)  # (method, monotonic time) at arrival
    commands: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    webhook: dict[str, Any] | None = None
    outputs: list[Sent] = field(default_factory=list)  # every send and every edit, in order
    forums: set[int] = field(default_factory=set)  # groups with topics enabled
    topics: dict[int, set[int]] = field(default_factory=dict)  # chat → existing topic (thread) ids

    def __post_init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._answered: dict[str, dict[str, Any]] = {}
        self._issued_queries: set[str] = set()
        self._closing = False
        self._failures: list[Failure] = []
        self._blocked: set[int] = set()
        self._kicked: set[int] = set()
        self._missing: set[int] = set()
        self._migrated: dict[int, int] = {}
        self._topics = itertools.count(100)
        self._allowed: list[str] | None = None
        self._sent_at: deque[float] = deque()
        self._chat_sent_at: dict[int, deque[float]] = defaultdict(deque)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._pusher: asyncio.Task[None] | None = None
        self.port = 0

    # ---------------------------------------------------------------- lifecycle
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, port: int = 0) -> FakeTelegram:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        self._closing = True  # long polls in flight return at once
        await self._notify()
        if self._pusher:
            self._pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pusher
        if self._runner:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ---------------------------------------------------------------- test controls
    def fail_next(
        self,
        method: str,
        code: int,
        description: str,
        *,
        retry_after: int | None = None,
        chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        self._failures.append(Failure(method.lower(), code, description, retry_after, chat_id, times))

    def block(self, user_id: int) -> None:
        """The user pressed "Stop and block bot"."""
        self._blocked.add(user_id)

    def kick(self, chat_id: int) -> None:
        self._kicked.add(chat_id)

    def forget_chat(self, chat_id: int) -> None:
        """Sends to this chat answer 400 chat not found (a deleted account)."""
        self._missing.add(chat_id)

    def migrate(self, chat_id: int, new_chat_id: int) -> None:
        """The group was upgraded to a supergroup with a new id."""
        self._migrated[chat_id] = new_chat_id

    def user_sends(
        self,
        user_id: int,
        text: str | None = None,
        *,
        chat_id: int | None = None,
        first_name: str = "Айбек",
        language_code: str | None = "ru",
        reply_to: Sent | None = None,
        thread_id: int | None = None,
        **content: Any,
    ) -> dict[str, Any]:
        """Queue a message from a user (private chat unless chat_id is a group). Returns the message."""
        chat_id = chat_id if chat_id is not None else user_id
        sender = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            sender["language_code"] = language_code
        if chat_id > 0:
            chat: dict[str, Any] = {"id": chat_id, "type": "private", "first_name": first_name}
        else:
            chat = {"id": chat_id, "type": "supergroup", "title": "Operators", "is_forum": True}
        message: dict[str, Any] = {
            "message_id": next(self._message_ids[chat_id]),
            "date": int(time.time()),
            "chat": chat,
            "from": sender,
            **content,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if reply_to is not None:
            message["reply_to_message"] = reply_to.data
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        self._messages[(chat_id, message["message_id"])] = message
        self._push({"message": message})
        return message

    def user_sends_file(
        self, user_id: int, kind: str, content: bytes = b"x", **fields: Any
    ) -> dict[str, Any]:
        """kind: document, photo, sticker, voice, video, location, contact (with suitable fields)."""
        if kind in {"location", "contact"}:
            return self.user_sends(user_id, **{kind: fields})
        file_id = self._store_file(content)
        media = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(content), **fields}
        if kind == "photo":
            media.setdefault("width", 800)
            media.setdefault("height", 600)
            return self.user_sends(user_id, photo=[media])
        if kind == "sticker":
            media.update(width=512, height=512, is_animated=False, is_video=False, type="regular")
        if kind in {"voice", "video"}:
            media.setdefault("duration", 3)
        if kind == "video":
            media.update(width=640, height=480)
        return self.user_sends(user_id, **{kind: media})

    def user_clicks(self, user_id: int, message: Sent, label: str) -> str:
        """Press the inline button whose text contains `label`. Returns the callback query id."""
        return self.user_presses(user_id, message, message.button(label).callback_data or "")

    def user_presses(self, user_id: int, message: Sent, data: str, first_name: str = "Айбек") -> str:
        """Send any callback data for a message's button (also forged data)."""
        query_id = str(next(self._query_ids))
        self._issued_queries.add(query_id)
        self._push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": {"id": user_id, "is_bot": False, "first_name": first_name},
                    "message": message.data,
                    "chat_instance": str(message.chat_id),
                    "data": data,
                }
            }
        )
        return query_id

    # ---------------------------------------------------------------- reading what happened
    def checkpoint(self) -> int:
        return len(self.outputs)

    def messages(self, chat_id: int) -> list[Sent]:
        """The bot's messages in a chat, current versions, oldest first."""
        return [
            Sent(m)
            for (chat, _), m in sorted(self._messages.items())
            if chat == chat_id and m.get("from", {}).get("id") == BOT_USER["id"]
        ]

    def answered(self, query_id: str) -> dict[str, Any] | None:
        return self._answered.get(query_id)

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method.lower()]

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        async def until() -> Any:
            async with self._changed:
                while not (result := predicate()):
                    await self._changed.wait()
                return result

        return await asyncio.wait_for(until(), timeout)

    async def wait_message(
        self,
        chat_id: int,
        contains: str | None = None,
        *,
        button: str | None = None,
        since: int = 0,
        timeout: float = 10.0,
    ) -> Sent:
        """The first send or edit in the chat after checkpoint `since` whose text contains `contains`
        and which has a button whose label contains `button` (case-insensitive)."""

        def matches(sent: Sent) -> bool:
            if sent.chat_id != chat_id:
                return False
            if contains is not None and contains.lower() not in sent.text.lower():
                return False
            return button is None or any(button.lower() in b.text.lower() for b in sent.buttons)

        def find() -> Sent | None:
            return next((sent for sent in self.outputs[since:] if matches(sent)), None)

        try:
            return await self.wait_for(find, timeout)
        except TimeoutError:
            seen = [s.text[:80] for s in self.outputs[since:] if s.chat_id == chat_id]
            raise AssertionError(
                f"no message {contains!r}/{button!r} in chat {chat_id}; seen: {seen}"
            ) from None

    async def wait_idle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Until the bot has made no call for `quiet` seconds (and has fetched all updates)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = self.calls[-1].at if self.calls else 0.0
            pending = self._updates and (self.webhook is not None)
            if not pending and time.monotonic() - last >= quiet:
                return
            await asyncio.sleep(quiet / 3)
        raise AssertionError("the bot did not go idle")

    # ---------------------------------------------------------------- HTTP
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"].lower()
        params = await _read_params(request)
        self.received.append(method)  # at arrival: a long poll in flight counts as "polling"
        self.arrivals.append((method, time.monotonic()))
        await self._notify()
        if self.token is not None and request.match_info["token"] != self.token:
            return _reply(ApiError(401, "Unauthorized"))
        if self.latency:
            await asyncio.sleep(self.latency)
        try:
            result: Any = await self.call(method, params)
        except ApiError as exc:
            self.calls.append(Call(method, params, False, time.monotonic(), exc.description))
            await self._notify()
            return _reply(exc)
        self.calls.append(Call(method, params, True, time.monotonic()))
        await self._notify()
        return web.json_response({"ok": True, "result": result})

    async def _download(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        if path not in self.files:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        return web.Response(body=self.files[path])

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        """Run one API method (also used for methods returned in a webhook reply)."""
        self._inject(method, params)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            raise ApiError(404, "Not Found")
        if method in _SENDING:
            self._check_chat(int(params["chat_id"]))
            self._check_rate(int(params["chat_id"]))
        return await handler(params)

    def _inject(self, method: str, params: dict[str, Any]) -> None:
        for failure in self._failures:
            if failure.method != method:
                continue
            if failure.chat_id is not None and params.get("chat_id") != failure.chat_id:
                continue
            failure.times -= 1
            if failure.times <= 0:
                self._failures.remove(failure)
            extra = {"retry_after": failure.retry_after} if failure.retry_after is not None else None
            raise ApiError(failure.code, failure.description, extra)

    def _check_chat(self, chat_id: int) -> None:
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id in self._kicked:
            raise ApiError(403, "Forbidden: bot was kicked from the supergroup chat")
        if chat_id in self._missing:
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self._migrated:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self._migrated[chat_id]},
            )

    def _check_rate(self, chat_id: int) -> None:
        now = time.monotonic()
        window, chat_window = self._sent_at, self._chat_sent_at[chat_id]
        span, limit = (60.0, 20) if chat_id < 0 else (1.0, 2)
        while window and now - window[0] > 1.0:
            window.popleft()
        while chat_window and now - chat_window[0] > span:
            chat_window.popleft()
        if self.enforce_limits and (len(window) >= 30 or len(chat_window) >= limit):
            retry = 1 if len(window) >= 30 or chat_id > 0 else int(span - (now - chat_window[0])) + 1
            raise ApiError(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})
        window.append(now)
        chat_window.append(now)

    # ---------------------------------------------------------------- updates
    def _push(self, update: dict[str, Any]) -> None:
        update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        asyncio.get_running_loop().create_task(self._notify())

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def _deliverable(self) -> list[dict[str, Any]]:
        allowed = self._allowed or [t for t in UPDATE_TYPES if "chat_member" != t]
        return [u for u in self._updates if any(k in u for k in allowed)]

    async def _m_getupdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if "allowed_updates" in p:
            self._allowed = p["allowed_updates"] or None
        offset = int(p.get("offset") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        timeout = min(float(p.get("timeout") or 0), self.max_poll)
        with contextlib.suppress(TimeoutError):
            await self.wait_for(lambda: self._closing or self._deliverable(), timeout)
        return self._deliverable()[: int(p.get("limit") or 100)]

    async def _m_setwebhook(self, p: dict[str, Any]) -> bool:
        if not str(p.get("url", "")).startswith(("http://", "https://")):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {"url": p["url"], "secret": p.get("secret_token")}
        self._allowed = p.get("allowed_updates") or None
        if p.get("drop_pending_updates"):
            self._updates.clear()
        if self._pusher is None or self._pusher.done():
            self._pusher = asyncio.get_running_loop().create_task(self._push_loop())
        return True

    async def _m_deletewebhook(self, p: dict[str, Any]) -> bool:
        self.webhook = None
        if p.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _m_getwebhookinfo(self, p: dict[str, Any]) -> dict[str, Any]:
        url = self.webhook["url"] if self.webhook else ""
        return {"url": url, "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    async def _push_loop(self) -> None:
        """Deliver updates to the webhook one at a time, in order, retrying until it answers 200."""
        async with ClientSession(timeout=ClientTimeout(total=60)) as http:
            while True:
                await self.wait_for(lambda: self.webhook is not None and self._deliverable(), timeout=1e9)
                hook = self.webhook
                if hook is None:  # removed between the wait and now
                    continue
                update = self._deliverable()[0]
                headers = {"X-Telegram-Bot-Api-Secret-Token": hook["secret"]} if hook["secret"] else {}
                try:
                    async with http.post(hook["url"], json=update, headers=headers) as response:
                        body = await response.read()
                        status = response.status
                except Exception:  # connection refused while the bot restarts: retry like Telegram
                    await asyncio.sleep(0.2)
                    continue
                finally:
                    await self._notify()
                if status != 200:
                    await asyncio.sleep(0.2)
                    continue
                self._updates.remove(update)
                await self._run_reply(body)

    async def _run_reply(self, body: bytes) -> None:
        with contextlib.suppress(ValueError, ApiError, KeyError, TypeError):
            payload = json.loads(body or b"{}")
            if isinstance(payload, dict) and payload.get("method"):
                method = str(payload.pop("method")).lower()
                self.calls.append(Call(method, payload, True, time.monotonic()))
                await self.call(method, payload)

    # ---------------------------------------------------------------- methods
    async def _m_getme(self, p: dict[str, Any]) -> dict[str, Any]:
        return {**BOT_USER, "can_join_groups": True, "supports_inline_queries": False}

    async def _m_close(self, p: dict[str, Any]) -> bool:
        return True

    async def _m_setmycommands(self, p: dict[str, Any]) -> bool:
        commands = p.get("commands") or []
        for command in commands:
            name = command.get("command", "")
            if not (1 <= len(name) <= 32 and name.islower() and name.replace("_", "").isalnum()):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: command description is empty or too long")
        key = (json.dumps(p.get("scope") or {"type": "default"}, sort_keys=True), p.get("language_code", ""))
        self.commands[key] = commands
        return True

    async def _m_getmycommands(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        key = (json.dumps(p.get("scope") or {"type": "default"}, sort_keys=True), p.get("language_code", ""))
        return self.commands.get(key, [])

    async def _m_deletemycommands(self, p: dict[str, Any]) -> bool:
        key = (json.dumps(p.get("scope") or {"type": "default"}, sort_keys=True), p.get("language_code", ""))
        self.commands.pop(key, None)
        return True

    async def _m_setchatmenubutton(self, p: dict[str, Any]) -> bool:
        return True

    async def _m_sendchataction(self, p: dict[str, Any]) -> bool:
        self._check_chat(int(p["chat_id"]))
        return True

    async def _m_getchat(self, p: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(p["chat_id"])
        self._check_chat(chat_id)
        chat: dict[str, Any] = {
            "id": chat_id,
            "type": "private" if chat_id > 0 else "supergroup",
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
        if chat_id in self.forums:
            chat["is_forum"] = True
        return chat

    async def _m_answercallbackquery(self, p: dict[str, Any]) -> bool:
        query_id = str(p["callback_query_id"])
        if query_id in self._answered or query_id not in self._issued_queries:
            raise ApiError(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        self._answered[query_id] = p
        return True

    async def _m_sendmessage(self, p: dict[str, Any]) -> dict[str, Any]:
        text = _checked_text(p.get("text"), p.get("parse_mode"), MAX_TEXT)
        return self._new_message(p, text=text)

    async def _m_senddocument(self, p: dict[str, Any]) -> dict[str, Any]:
        document = self._media(p, "document")
        return self._new_message(p, document=document, **self._caption(p))

    async def _m_sendphoto(self, p: dict[str, Any]) -> dict[str, Any]:
        photo = self._media(p, "photo")
        return self._new_message(p, photo=[{**photo, "width": 800, "height": 600}], **self._caption(p))

    async def _m_sendlocation(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._new_message(p, location={"latitude": p["latitude"], "longitude": p["longitude"]})

    async def _m_copymessage(self, p: dict[str, Any]) -> dict[str, Any]:
        source = self._messages.get((int(p["from_chat_id"]), int(p["message_id"])))
        if source is None:
            raise ApiError(400, "Bad Request: message to copy not found")
        content = {k: v for k, v in source.items() if k in _CONTENT_KEYS}
        if "caption" in p:
            content.update(self._caption(p))
        message = self._new_message(p, **content)
        return {"message_id": message["message_id"]}

    async def _m_forwardmessage(self, p: dict[str, Any]) -> dict[str, Any]:
        source = self._messages.get((int(p["from_chat_id"]), int(p["message_id"])))
        if source is None:
            raise ApiError(400, "Bad Request: message to forward not found")
        content = {k: v for k, v in source.items() if k in _CONTENT_KEYS}
        return self._new_message(p, **content, forward_origin={"type": "hidden_user", "date": 0})

    async def _m_editmessagetext(self, p: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(p)
        text = _checked_text(p.get("text"), p.get("parse_mode"), MAX_TEXT)
        markup = _markup(p.get("reply_markup"))
        if message.get("text") == text and message.get("reply_markup") == markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message",
            )
        return self._edit(message, text=text, reply_markup=markup)

    async def _m_editmessagecaption(self, p: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(p)
        return self._edit(message, **self._caption(p), reply_markup=_markup(p.get("reply_markup")))

    async def _m_editmessagereplymarkup(self, p: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(p)
        markup = _markup(p.get("reply_markup"))
        if message.get("reply_markup") == markup:
            raise ApiError(400, "Bad Request: message is not modified")
        return self._edit(message, reply_markup=markup)

    async def _m_deletemessage(self, p: dict[str, Any]) -> bool:
        key = (int(p["chat_id"]), int(p["message_id"]))
        if key not in self._messages:
            raise ApiError(400, "Bad Request: message to delete not found")
        del self._messages[key]
        return True

    async def _m_createforumtopic(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_chat(int(p["chat_id"]))
        if not 1 <= len(p.get("name", "")) <= 128:
            raise ApiError(400, "Bad Request: TOPIC_TITLE_EMPTY")
        if int(p["chat_id"]) not in self.forums:
            raise ApiError(400, "Bad Request: the chat is not a forum")
        thread = next(self._topics)
        self.topics.setdefault(int(p["chat_id"]), set()).add(thread)
        return {"message_thread_id": thread, "name": p["name"], "icon_color": 7322096}

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """An admin deleted a case's topic in the group."""
        self.topics.get(chat_id, set()).discard(thread_id)

    async def _m_editforumtopic(self, p: dict[str, Any]) -> bool:
        return True

    async def _m_closeforumtopic(self, p: dict[str, Any]) -> bool:
        return True

    async def _m_reopenforumtopic(self, p: dict[str, Any]) -> bool:
        return True

    async def _m_pinchatmessage(self, p: dict[str, Any]) -> bool:
        return True

    async def _m_getfile(self, p: dict[str, Any]) -> dict[str, Any]:
        file_id = str(p["file_id"])
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_path": file_id}

    # ---------------------------------------------------------------- helpers
    def _new_message(self, p: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id = int(p["chat_id"])
        thread = p.get("message_thread_id")
        if thread and chat_id in self.forums and int(thread) not in self.topics.get(chat_id, set()):
            raise ApiError(400, "Bad Request: message thread not found")
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
        if chat_id < 0:
            chat["title"] = "Operators"
        message: dict[str, Any] = {
            "message_id": next(self._message_ids[chat_id]),
            "date": int(time.time()),
            "chat": chat,
            "from": BOT_USER,
            **content,
        }
        markup = _markup(p.get("reply_markup"))
        if markup:
            message["reply_markup"] = markup
        if p.get("message_thread_id"):
            message["message_thread_id"] = int(p["message_thread_id"])
        self._messages[(chat_id, message["message_id"])] = message
        self.outputs.append(Sent(copy.deepcopy(message)))  # a snapshot: later edits are new outputs
        return message

    def _editable(self, p: dict[str, Any]) -> dict[str, Any]:
        message = self._messages.get((int(p.get("chat_id", 0)), int(p.get("message_id", 0))))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    def _edit(self, message: dict[str, Any], **changes: Any) -> dict[str, Any]:
        for key, value in changes.items():
            if value is None:
                message.pop(key, None)
            else:
                message[key] = value
        message["edit_date"] = int(time.time())
        self.outputs.append(Sent(copy.deepcopy(message)))
        return message

    def _media(self, p: dict[str, Any], key: str) -> dict[str, Any]:
        value = p.get(key)
        if isinstance(value, _Upload):
            file_id = self._store_file(value.content)
            return {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_name": value.filename,
                "mime_type": value.content_type,
                "file_size": len(value.content),
            }
        if isinstance(value, str) and value in self.files:
            return {"file_id": value, "file_unique_id": f"u{value}", "file_size": len(self.files[value])}
        raise ApiError(400, f"Bad Request: wrong file identifier/HTTP URL specified ({key})")

    def _caption(self, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("caption") is None:
            return {}
        return {"caption": _checked_text(p["caption"], p.get("parse_mode"), MAX_CAPTION)}

    def _store_file(self, content: bytes) -> str:
        file_id = f"file{next(self._file_ids)}"
        self.files[file_id] = content
        return file_id


_CONTENT_KEYS = {"text", "caption", "document", "photo", "voice", "video", "sticker", "location", "contact"}


@dataclass(frozen=True)
class _Upload:
    filename: str
    content_type: str
    content: bytes


def _checked_text(text: Any, parse_mode: Any, limit: int) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    try:
        visible = visible_text(text, parse_mode)
    except EntityError as exc:
        raise ApiError(400, str(exc)) from None
    if len(visible) > limit:
        raise ApiError(400, "Bad Request: message is too long")
    return visible


def _markup(markup: Any) -> dict[str, Any] | None:
    if not markup:
        return None
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if data is None and not any(k in button for k in ("url", "web_app", "switch_inline_query")):
                raise ApiError(400, 'Bad Request: can\'t find field "callback_data" or "url"')
    return markup


async def _read_params(request: web.Request) -> dict[str, Any]:
    raw: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        raw.update(await request.json())
        return raw
    if request.can_read_body:
        form = await request.post()
        uploads = {k: v for k, v in form.items() if isinstance(v, web.FileField)}
        for key, value in form.items():
            if isinstance(value, web.FileField):
                continue
            raw[key] = _decode(key, value)
        for key, value in list(raw.items()):
            # aiogram sends files as `attach://<field>` plus a multipart field of that name
            if isinstance(value, str) and value.startswith("attach://"):
                upload = uploads[value.removeprefix("attach://")]
                raw[key] = _Upload(upload.filename, upload.content_type, upload.file.read())
        for key, upload in uploads.items():
            if key in {"document", "photo"} and key not in raw:
                raw[key] = _Upload(upload.filename, upload.content_type, upload.file.read())
    return raw


def _decode(key: str, value: str) -> Any:
    if key in _INT_KEYS:
        with contextlib.suppress(ValueError):
            return int(value)
    if value[:1] in "{[":
        with contextlib.suppress(ValueError):
            return json.loads(value)
    if value in {"true", "false"}:
        return value == "true"
    return value


def _reply(error: ApiError) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": error.code, "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return web.json_response(body, status=error.code)
