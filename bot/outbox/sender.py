"""The one sender of the bot's bulk traffic: claims due outbox rows and delivers them through the
limiter, handling Telegram errors as the Bot API documents them.

Delivery is at-least-once: a crash between Telegram accepting a message and the row being marked sent
re-sends that one message (at most SEND_CONCURRENCY messages are ever in flight). One process (SQLite)
takes its rows back at start-up; several instances (PostgreSQL) hold rows under leases they renew, and
a dead instance's rows go out again only when its lease expires. An answer that cannot be parsed is
never a reason to send again (see _undecodable).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import (
    CopyMessage,
    EditMessageText,
    ForwardMessage,
    SendDocument,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    SendVideo,
    SendVoice,
    TelegramMethod,
)
from aiogram.types import Message

from bot.clock import Clock
from bot.outbox.limiter import Limiter
from bot.outbox.repo import BLOCKED, CANCELLED, FAILED, OutboxItem, OutboxRepo
from bot.telegram.retry import bulk_call

log = logging.getLogger(__name__)

METHODS: dict[str, type[TelegramMethod[Any]]] = {
    "sendMessage": SendMessage,
    "sendPhoto": SendPhoto,
    "sendDocument": SendDocument,
    "sendVoice": SendVoice,
    "sendVideo": SendVideo,
    "sendMediaGroup": SendMediaGroup,
    "copyMessage": CopyMessage,
    "forwardMessage": ForwardMessage,
    "editMessageText": EditMessageText,
}
MAX_TRANSIENT_ATTEMPTS = 8
MAX_UNDECODABLE_ATTEMPTS = 3
GROUP_RETRY = timedelta(minutes=5)  # an unreachable operators' group is retried, never given up

SentHook = Callable[[OutboxItem, Any], Awaitable[None]]
# Runs just before sending; returns the item to send (e.g. with a forum topic id filled in).
# A before-send hook may rewrite the message, or return None to drop it (e.g. a reminder for an event
# that has started or was cancelled): the row is then marked cancelled and nothing is sent.
BeforeHook = Callable[[OutboxItem], Awaitable[OutboxItem | None]]
# A group error hook may fix the cause (e.g. recreate a deleted forum topic) and return True: the
# message is then retried at once instead of after GROUP_RETRY.
ErrorHook = Callable[[OutboxItem, TelegramAPIError], Awaitable[bool | None]]
BlockedHook = Callable[[int], Awaitable[None]]
MigratedHook = Callable[[int, int], Awaitable[None]]


class Sender:
    def __init__(
        self,
        bot: Bot,
        repo: OutboxRepo,
        limiter: Limiter,
        clock: Clock,
        *,
        concurrency: int = 4,
        poll_interval: float = 1.0,
    ) -> None:
        self._bot = bot
        self._repo = repo
        self._limiter = limiter
        self._clock = clock
        self._concurrency = concurrency
        self._poll_interval = poll_interval
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._on_sent: dict[str, SentHook] = {}
        self._before_send: dict[str, BeforeHook] = {}
        self._on_group_error: list[ErrorHook] = []
        self._on_blocked: list[BlockedHook] = []
        self._on_migrated: list[MigratedHook] = []
        self._task: asyncio.Task[None] | None = None

    # Hooks let features react without the sender knowing them (e.g. store a case card's message id).
    def on_sent(self, kind: str, hook: SentHook) -> None:
        self._on_sent[kind] = hook

    def before_send(self, kind: str, hook: BeforeHook) -> None:
        self._before_send[kind] = hook

    def on_group_error(self, hook: ErrorHook) -> None:
        self._on_group_error.append(hook)

    def on_blocked(self, hook: BlockedHook) -> None:
        self._on_blocked.append(hook)

    def on_migrated(self, hook: MigratedHook) -> None:
        self._on_migrated.append(hook)

    def wake(self) -> None:
        """New rows were enqueued in this process: look now instead of at the next poll."""
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._stopping.clear()
            self._task = asyncio.create_task(self.run(), name="outbox-sender")

    async def stop(self, timeout: float = 10.0) -> None:
        """Finish the messages in flight, claim nothing new."""
        self._stopping.set()
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._task), timeout)
            if not self._task.done():
                self._task.cancel()
            self._task = None

    async def run(self) -> None:
        leases: asyncio.Task[None] | None = None
        if self._repo.single_process:
            reset = await self._repo.reset_inflight()
            if reset:
                log.info("outbox: %d message(s) were in flight at the last stop; sending them again", reset)
        else:
            # Other instances may be sending right now: only rows whose lease ran out are taken back.
            leases = asyncio.create_task(self._keep_leases(), name="outbox-leases")
        slots = asyncio.Semaphore(self._concurrency)
        in_flight: set[asyncio.Task[None]] = set()
        try:
            while not self._stopping.is_set():
                await slots.acquire()
                try:
                    items = await self._repo.claim(1)
                except Exception:  # database briefly locked or gone: keep the loop alive
                    log.exception("outbox: claim failed")
                    items = []
                if not items:
                    slots.release()
                    await self._idle()
                    continue
                task = asyncio.create_task(self._deliver_and_release(items[0], slots))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
        finally:
            if in_flight:
                await asyncio.gather(*in_flight, return_exceptions=True)
            if leases is not None:
                leases.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await leases

    async def _keep_leases(self) -> None:
        """Renew our leases at a third of their length; return dead instances' rows to pending."""
        interval = self._repo.lease.total_seconds() / 3
        while True:
            try:
                await self._repo.renew_leases()
                reclaimed = await self._repo.reclaim_expired()
                if reclaimed:
                    log.warning("outbox: %d message(s) of a stopped instance go out again", reclaimed)
                    self.wake()
            except Exception:  # database briefly gone: try again at the next round
                log.exception("outbox: lease renewal failed")
            await asyncio.sleep(interval)

    async def _idle(self) -> None:
        self._wake.clear()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self._poll_interval)

    async def _deliver_and_release(self, item: OutboxItem, slots: asyncio.Semaphore) -> None:
        try:
            await self.deliver(item)
        except Exception:
            log.exception("outbox: unexpected error delivering item %d", item.id)
            await self._repo.retry_at(item.id, self._clock.now() + timedelta(minutes=1), "internal error")
        finally:
            slots.release()

    async def deliver(self, item: OutboxItem) -> None:
        delay = await self._limiter.chat_delay(item.chat_id)
        if delay > 0:  # this chat is busy; let other chats go first
            await self._repo.retry_at(
                item.id, self._clock.now() + timedelta(seconds=delay), None, count_attempt=False
            )
            return
        method_cls = METHODS.get(item.method)
        if method_cls is None:
            await self._repo.mark_final(item.id, FAILED, f"unknown method {item.method}")
            return
        try:
            prepare = self._before_send.get(item.kind)
            if prepare is not None:
                prepared = await prepare(item)
                if prepared is None:
                    await self._repo.mark_final(item.id, CANCELLED, "dropped before sending")
                    return
                item = prepared
            method = method_cls(chat_id=item.chat_id, **item.payload)
            # The slot is taken right before the request, after any slow preparation, so that the
            # spacing the limiter enforces is the spacing Telegram sees.
            await self._limiter.acquire(item.chat_id)
            with bulk_call():  # the outbox schedules its own retries (see bot/telegram/retry.py)
                result = await self._bot(method)
        except TelegramRetryAfter as exc:
            # 429 applies to the bot as a whole: everyone waits, this message goes again first.
            log.warning("outbox: 429, pausing all sending for %s s", exc.retry_after)
            await self._limiter.pause(exc.retry_after)
            await self._repo.retry_at(
                item.id, self._clock.now() + timedelta(seconds=exc.retry_after), "429", count_attempt=False
            )
        except TelegramMigrateToChat as exc:
            await self._repo.change_chat(item.chat_id, exc.migrate_to_chat_id)
            for hook in self._on_migrated:
                await hook(item.chat_id, exc.migrate_to_chat_id)
            await self._repo.retry_at(item.id, self._clock.now(), "migrated", count_attempt=False)
        except (TelegramForbiddenError, TelegramBadRequest) as exc:
            await self._permanent(item, exc)
        except (TimeoutError, TelegramNetworkError, TelegramServerError, OSError) as exc:
            await self._transient(item, exc)
        except TelegramAPIError as exc:
            await self._transient(item, exc)
        except ClientDecodeError as exc:
            await self._undecodable(item, exc)
        else:
            message_id = (
                result.message_id if isinstance(result, Message) else getattr(result, "message_id", None)
            )
            if isinstance(result, list) and result:
                message_id = result[0].message_id
            await self._repo.mark_sent(item.id, message_id)
            hook = self._on_sent.get(item.kind)
            if hook is not None:
                try:
                    await hook(item, result)
                except Exception:
                    log.exception("outbox: on_sent hook for %s failed", item.kind)

    async def _permanent(self, item: OutboxItem, exc: TelegramAPIError) -> None:
        if item.chat_id < 0:
            # A group (the operators' queue) must never lose a message: alert, retry later.
            fixed = False
            for hook in self._on_group_error:
                fixed = bool(await hook(item, exc)) or fixed
            delay = timedelta(0) if fixed else GROUP_RETRY
            await self._repo.retry_at(
                item.id, self._clock.now() + delay, exc.message, count_attempt=not fixed
            )
            return
        if isinstance(exc, TelegramForbiddenError):
            await self._repo.mark_final(item.id, BLOCKED, exc.message)
            for blocked in self._on_blocked:
                await blocked(item.chat_id)
            return
        log.warning("outbox: item %d (%s) failed permanently: %s", item.id, item.kind, exc.message)
        await self._repo.mark_final(item.id, FAILED, exc.message)

    async def _undecodable(self, item: OutboxItem, exc: ClientDecodeError) -> None:
        """An answer we could not read. If it was JSON saying ok, Telegram executed the send: the
        message is delivered-unconfirmed and never sent again. A body that is not the API's JSON at
        all (e.g. a proxy's error page) may or may not have been executed, like a 5xx: retried a few
        times, then given up as unconfirmed too (groups included), so it cannot loop."""
        envelope = exc.data if isinstance(exc.data, dict) else None
        delivered = envelope is not None and envelope.get("ok") is True
        if delivered or item.attempts >= MAX_UNDECODABLE_ATTEMPTS:
            # Only the method and the row id: the body may hold personal data.
            log.warning(
                "outbox: item %d (%s): the answer could not be parsed; counted delivered, not resending",
                item.id,
                item.method,
            )
            await self._repo.mark_unconfirmed(item.id, f"unparsed answer: {exc.message}")
            return
        await self._transient(item, exc)

    async def _transient(self, item: OutboxItem, exc: BaseException) -> None:
        if item.attempts >= MAX_TRANSIENT_ATTEMPTS and item.chat_id > 0:
            await self._repo.mark_final(item.id, FAILED, f"gave up: {type(exc).__name__}")
            return
        backoff = min(2**item.attempts, 300)
        log.warning("outbox: item %d transient error %s; retry in %s s", item.id, type(exc).__name__, backoff)
        await self._repo.retry_at(item.id, self._clock.now() + timedelta(seconds=backoff), type(exc).__name__)
