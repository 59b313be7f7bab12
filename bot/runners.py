"""Run modes: long polling, or an aiohttp webhook server that checks Telegram's secret header."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal

from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot import app as application
from bot import observability
from bot.context import AppContext

log = logging.getLogger(__name__)


def freeze_startup_objects() -> None:
    """aiogram's types alone are ~250k long-lived objects; a full garbage collection over them stops
    the event loop for ~150 ms (every update and every send waits). Frozen, they are never scanned
    again: a full collection then takes microseconds."""
    gc.collect()
    gc.freeze()


async def run_polling(app: AppContext) -> None:
    assert app.dispatcher is not None
    await application.prepare(app)
    freeze_startup_objects()
    dp = app.dispatcher
    metrics = app.settings.metrics_port
    server = await observability.serve(app, app.settings.metrics_host, metrics) if metrics else None
    try:
        # A webhook left over from another deployment would make getUpdates fail with 409.
        await app.bot.delete_webhook(drop_pending_updates=False)
        await dp.start_polling(
            app.bot,
            allowed_updates=dp.resolve_used_update_types(),
            handle_signals=True,
            close_bot_session=False,
            polling_timeout=25,
        )
    finally:
        if server is not None:
            await server.cleanup()
        await application.close(app)


async def run_webhook(app: AppContext) -> None:
    settings = app.settings
    settings.require_webhook()
    assert app.dispatcher is not None and settings.webhook_secret is not None and settings.webhook_url
    dp = app.dispatcher
    await application.prepare(app)
    freeze_startup_objects()
    web_app = web.Application()
    # handle_in_background=False: answer 200 only after the update is handled, so Telegram
    # redelivers what we failed on (the dedupe middleware drops repeats).
    SimpleRequestHandler(
        dispatcher=dp,
        bot=app.bot,
        secret_token=settings.webhook_secret.get_secret_value(),
        handle_in_background=False,
    ).register(web_app, path=settings.webhook_path)
    observability.add_routes(web_app, app)  # /healthz and /metrics

    runner = web.AppRunner(web_app, access_log=None)  # access logs would hold chat traffic timing only
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await dp.emit_startup(bot=app.bot, **dp.workflow_data)
        await site.start()
        await app.bot.set_webhook(
            url=settings.webhook_url + settings.webhook_path,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=dp.resolve_used_update_types(),
        )
        log.info("webhook server listening on %s:%s", settings.webhook_host, settings.webhook_port)
        await stop.wait()
        log.info("stopping: finishing requests in flight")
    finally:
        await runner.cleanup()  # stops accepting, waits for handlers in flight
        await dp.emit_shutdown(bot=app.bot, **dp.workflow_data)
        await application.close(app)
