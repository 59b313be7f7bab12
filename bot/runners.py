"""Run modes: long polling, or an aiohttp webhook server that checks Telegram's secret header.

Start-up talks to Telegram first (getMe) with bounded time-outs: a rejected token stops the bot with one
clear line and a non-zero exit; an unreachable Telegram (down, refused, a firewall that drops packets)
is retried with back-off until it answers or the bot is stopped. Once running, aiogram's polling loop
retries outages itself. Every exit path closes the HTTP session and the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import signal
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import (
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from pydantic import ValidationError

from bot import app as application
from bot import observability
from bot.context import AppContext
from bot.telegram.retry import bulk_call

log = logging.getLogger(__name__)

OFFICIAL_API = "https://api.telegram.org"
FIRST_RETRY = 1.0  # seconds; doubled after each failure up to MAX_RETRY
MAX_RETRY = 60.0
EXIT_OK = 0
EXIT_TOKEN_REJECTED = 2  # like a configuration error: restarting will not help
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class TokenRejected(Exception):
    """Telegram answered 401 to the bot's token."""


def freeze_startup_objects() -> None:
    """aiogram's types alone are ~250k long-lived objects; a full garbage collection over them stops
    the event loop for ~150 ms (every update and every send waits). Frozen, they are never scanned
    again: a full collection then takes microseconds."""
    gc.collect()
    gc.freeze()


@contextlib.contextmanager
def stop_on_signals(stop: asyncio.Event) -> Iterator[None]:
    """SIGTERM (Docker, systemd) and SIGINT (Ctrl+C) set `stop`, at any moment of the bot's life."""
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


def _describe(exc: Exception, timeout: float, token: str) -> str:
    """What went wrong, in words, without the token (it is part of every request URL)."""
    text = str(exc)
    if isinstance(exc, TelegramServerError):
        return f"Telegram answered a server error: {exc.message}".replace(token, "***")
    if isinstance(exc, TelegramRetryAfter):
        return f"Telegram asked to wait {exc.retry_after} s"
    lowered = text.lower()
    if "timeout" in lowered or "timed out" in lowered:
        return f"no answer within {timeout:g} s"
    if "refused" in lowered or "connect call failed" in lowered:
        return "connection refused"
    if "name or service not known" in lowered or "nodename" in lowered or "resolve" in lowered:
        return "host name not found"
    return text.removeprefix("HTTP Client says - ").replace(token, "***")[:200]


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> bool:
    """True if the bot was told to stop while waiting."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
    return stop.is_set()


async def start_up(app: AppContext, stop: asyncio.Event, steps: Callable[[], Awaitable[None]]) -> bool:
    """Check the token, then run the start-up `steps`; retry network trouble with back-off.

    Returns False if stopped while waiting for Telegram; raises TokenRejected on 401."""
    settings = app.settings
    url = settings.telegram_api_url or OFFICIAL_API
    token = settings.require_token().get_secret_value()
    delay = FIRST_RETRY
    while not stop.is_set():
        try:
            with bulk_call():  # retried here, with back-off, not by the per-request retry middleware
                await app.bot.me()  # cached: aiogram's polling asks again
            await steps()
            return True
        except TelegramUnauthorizedError:
            raise TokenRejected from None
        except (TelegramNetworkError, TelegramServerError, TelegramRetryAfter) as exc:
            if isinstance(exc, TelegramRetryAfter):
                delay = max(delay, float(exc.retry_after))
            reason = _describe(exc, settings.telegram_timeout, token)
            log.warning("cannot reach TELEGRAM_API_URL %s (%s), retrying in %g s", url, reason, delay)
        if await _sleep_or_stop(stop, delay):
            break
        delay = min(delay * 2, MAX_RETRY)
    log.info("stopped before Telegram answered")
    return False


class _TokenWatch(BaseRequestMiddleware):
    """Any 401 from Telegram, at start-up or later (a token revoked while running), stops the bot:
    retrying cannot help, and aiogram's polling loop would retry it forever."""

    def __init__(self, stop: asyncio.Event) -> None:
        self.stop = stop
        self.rejected = False

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        try:
            return await make_request(bot, method)
        except TelegramUnauthorizedError:
            self.rejected = True
            self.stop.set()
            raise


async def _guarded(app: AppContext, body: Callable[[asyncio.Event], Awaitable[None]]) -> int:
    """Runs a mode; turns a rejected token into one line and an exit code; always closes."""
    stop = asyncio.Event()
    watch = _TokenWatch(stop)
    app.bot.session.middleware(watch)
    try:
        with stop_on_signals(stop):
            await body(stop)
    except TokenRejected:
        watch.rejected = True
    finally:
        await application.close(app)
    if watch.rejected:
        log.error(
            "Telegram rejected the token (401 Unauthorized): check BOT_TOKEN; a revoked token needs a "
            "new one from @BotFather"
        )
        return EXIT_TOKEN_REJECTED
    return EXIT_OK


async def run_polling(app: AppContext) -> int:
    dp = application.dispatcher_of(app)

    async def steps() -> None:
        await application.prepare(app)
        # A webhook left over from another deployment would make getUpdates fail with 409.
        await app.bot.delete_webhook(drop_pending_updates=False)

    async def body(stop: asyncio.Event) -> None:
        if not await start_up(app, stop, steps):
            return
        freeze_startup_objects()
        port = app.settings.metrics_port  # /healthz and /metrics on their own port, off by default
        server = await observability.serve(app, app.settings.metrics_host, port) if port else None
        try:
            await poll(stop)
        finally:
            if server is not None:
                await server.cleanup()

    async def poll(stop: asyncio.Event) -> None:
        polling = asyncio.create_task(
            dp.start_polling(
                app.bot,
                allowed_updates=dp.resolve_used_update_types(),
                handle_signals=False,  # ours (stop_on_signals) cover start-up as well
                close_bot_session=False,
                polling_timeout=25,
            )
        )
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({polling, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not polling.done():
            log.info("stopping: finishing updates in flight")
            try:
                await dp.stop_polling()
            except RuntimeError:  # polling had not begun yet
                polling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await polling

    return await _guarded(app, body)


class CheckedRequestHandler(SimpleRequestHandler):
    """aiogram's handler answers 500 with a traceback to a body that is not an update; this one
    answers 400 and logs one line that says why, never what the body contained."""

    async def handle(self, request: web.Request) -> web.Response:
        bot = await self.resolve_bot(request)
        if not self.verify_secret(request.headers.get(SECRET_HEADER, ""), bot):
            return web.Response(body="Unauthorized", status=401)
        try:
            update = parse_update(await request.read(), bot)
        except MalformedUpdate as exc:
            log.warning("webhook: rejected a malformed update with 400 (%s)", exc)
            return web.Response(status=400, text="Bad Request")
        result = await self.dispatcher.feed_webhook_update(bot, update, **self.data)
        return web.Response(body=self._build_response_writer(bot=bot, result=result))


class MalformedUpdate(ValueError):
    pass


def parse_update(body: bytes, bot: Bot) -> Update:
    """The update in a webhook body, or MalformedUpdate saying what is wrong (no content)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedUpdate("body is not UTF-8") from None
    try:
        data: Any = json.loads(text)
    except RecursionError:
        raise MalformedUpdate("JSON nested too deeply") from None
    except ValueError:
        raise MalformedUpdate("body is not JSON" if text.strip() else "empty body") from None
    if not isinstance(data, dict):
        raise MalformedUpdate(f"JSON {type(data).__name__} instead of an object")
    update_id = data.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        raise MalformedUpdate("update_id missing or not an integer")
    try:
        return Update.model_validate(data, context={"bot": bot})
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False, include_context=False)[0]
        raise MalformedUpdate(
            f"not a Telegram update: {exc.error_count()} problem(s), {first['type']}"
        ) from None
    except RecursionError:
        raise MalformedUpdate("JSON nested too deeply") from None


def build_web_app(app: AppContext) -> web.Application:
    settings = app.settings
    secret = settings.webhook_secret
    web_app = web.Application()
    # handle_in_background=False: answer 200 only after the update is handled, so Telegram
    # redelivers what we failed on (the dedupe middleware drops repeats).
    CheckedRequestHandler(
        dispatcher=application.dispatcher_of(app),
        bot=app.bot,
        secret_token=secret.get_secret_value() if secret is not None else None,
        handle_in_background=False,
    ).register(web_app, path=settings.webhook_path)
    observability.add_routes(web_app, app)  # /healthz and /metrics
    return web_app


async def run_webhook(app: AppContext) -> int:
    settings = app.settings
    settings.require_webhook()
    dp = application.dispatcher_of(app)
    url = f"{settings.webhook_url}{settings.webhook_path}"
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    runner = web.AppRunner(build_web_app(app), access_log=None)  # access logs would hold chat traffic timing

    async def steps() -> None:
        await application.prepare(app)

    async def body(stop: asyncio.Event) -> None:
        if not await start_up(app, stop, steps):
            return
        freeze_startup_objects()
        await runner.setup()
        site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
        await dp.emit_startup(bot=app.bot, **dp.workflow_data)
        try:
            await site.start()

            async def register() -> None:
                await app.bot.set_webhook(
                    url=url, secret_token=secret, allowed_updates=dp.resolve_used_update_types()
                )

            if not await start_up(app, stop, register):
                return
            log.info("webhook server listening on %s:%s", settings.webhook_host, settings.webhook_port)
            await stop.wait()
            log.info("stopping: finishing requests in flight")
        finally:
            await runner.cleanup()  # stops accepting, waits for handlers in flight
            await dp.emit_shutdown(bot=app.bot, **dp.workflow_data)

    return await _guarded(app, body)
