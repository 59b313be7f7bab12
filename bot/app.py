"""Builds the bot: one function wires configuration, storage, translator, sender and feature routers."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import SimpleEventIsolation
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import broadcasts, complaints, events, knowledge
from bot.cli import HEARTBEAT_FILE
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.context import AppContext
from bot.i18n import Translator
from bot.menu import fallback
from bot.menu import router as menu
from bot.menu.commands import set_default_commands, set_group_commands
from bot.middlewares.dedupe import DedupeMiddleware, forget_old_updates
from bot.middlewares.throttling import KnownLocales, ThrottlingMiddleware, install_first
from bot.middlewares.users import UserMiddleware
from bot.outbox.limiter import RateLimiter
from bot.outbox.repo import OutboxRepo
from bot.outbox.sender import Sender
from bot.paths import LOCALES_DIR
from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.fsm import SqlStorage
from bot.telegram.retry import RetryMiddleware
from bot.users.privacy import DataEraser
from bot.users.repo import UserRepo

log = logging.getLogger(__name__)

# Each feature package exposes `install(app) -> list[Router]`. Knowledge comes last among them because
# it answers any free text that no form (complaint intake, staff dialogs) is waiting for; the fallback
# router comes after all of them.
FEATURES = (events, broadcasts, complaints, knowledge)


def create_bot(settings: Settings, session: BaseSession | None = None) -> Bot:
    token = settings.require_token().get_secret_value()
    if session is None:
        session = AiohttpSession(timeout=settings.telegram_timeout)  # bounded: see runners.start_up
        if settings.telegram_api_url:
            session.api = TelegramAPIServer.from_base(settings.telegram_api_url)
    session.middleware(RetryMiddleware())
    return Bot(
        token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def create_app(
    settings: Settings,
    *,
    session: BaseSession | None = None,
    clock: Clock | None = None,
    translator: Translator | None = None,
    storage: BaseStorage | None = None,
) -> AppContext:
    clock = clock or SystemClock()
    db = Database.connect(settings.db_url)
    bot = create_bot(settings, session)
    t = translator or Translator.load(settings.locales_dir or LOCALES_DIR)
    outbox = OutboxRepo(db, clock)
    users = UserRepo(db, clock)
    sender = Sender(
        bot, outbox, RateLimiter(settings.send_rate), clock, concurrency=settings.send_concurrency
    )
    sender.on_blocked(users.mark_blocked)
    app = AppContext(
        settings=settings,
        bot=bot,
        db=db,
        t=t,
        clock=clock,
        users=users,
        outbox=outbox,
        sender=sender,
        scheduler=AsyncIOScheduler(timezone="UTC"),
        eraser=DataEraser(db),
    )
    feature_routers: list[Router] = []
    for feature in FEATURES:
        feature_routers.extend(feature.install(app))
    app.dispatcher = create_dispatcher(app, feature_routers, storage or SqlStorage(db, clock))
    return app


def create_dispatcher(app: AppContext, feature_routers: Sequence[Router], storage: BaseStorage) -> Dispatcher:
    # One update per user at a time: a double tap cannot run a form step twice.
    dp = Dispatcher(storage=storage, events_isolation=SimpleEventIsolation(), **app.workflow_data())
    locales = KnownLocales()
    # Flood control first: a flood is dropped before any database read or write.
    install_first(dp, ThrottlingMiddleware(app.settings, app.t, app.users, locales))
    dp.update.outer_middleware(DedupeMiddleware(app.db, app.clock))
    dp.update.outer_middleware(UserMiddleware(app.users, app.settings, locales))
    dp.include_router(menu.create_router())
    for feature_router in feature_routers:
        dp.include_router(feature_router)
    dp.include_router(fallback.create_router(app.settings.default_locale))

    # aiogram calls these with the workflow data as keyword arguments and awaits the result.
    async def startup(**_: object) -> None:
        await on_startup(app)

    async def shutdown(**_: object) -> None:
        await on_shutdown(app)

    dp.startup.register(startup)
    dp.shutdown.register(shutdown)
    return dp


def dispatcher_of(app: AppContext) -> Dispatcher:
    if app.dispatcher is None:
        raise RuntimeError("create_app() builds the dispatcher; this AppContext has none")
    return app.dispatcher


async def prepare(app: AppContext) -> None:
    """Work shared by every run mode before updates flow: schema, commands, background jobs.
    Repeatable: the runners call it again after a network failure at start-up."""
    await migrate.upgrade(app.db)
    await set_default_commands(app.bot, app.t, app.settings.default_locale)
    if app.settings.operators_chat_id is not None:
        try:
            await set_group_commands(
                app.bot, app.t, app.settings.operators_chat_id, app.settings.operators_locale
            )
        except TelegramAPIError as exc:  # a wrong group id is reported by the queue's own alerts
            log.warning("could not set the operators' group commands: %s", exc.message)
    app.scheduler.add_job(
        write_heartbeat,
        "interval",
        minutes=1,
        args=[app],
        id="heartbeat",
        replace_existing=True,
        next_run_time=app.clock.now(),
    )
    app.scheduler.add_job(
        forget_old_updates,
        "interval",
        hours=6,
        args=[app.db, app.clock],
        id="forget-old-updates",
        replace_existing=True,
        max_instances=1,
        coalesce=True,
    )


async def write_heartbeat(app: AppContext) -> None:
    """`python -m bot health` (the container health check) reads this file."""
    path = app.settings.state_dir / HEARTBEAT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(app.clock.now().isoformat())


async def on_startup(app: AppContext) -> None:
    app.sender.start()
    if not app.scheduler.running:
        app.scheduler.start()
    log.info("bot started")


async def on_shutdown(app: AppContext) -> None:
    if app.scheduler.running:
        app.scheduler.shutdown(wait=False)
    await app.sender.stop()
    log.info("bot stopped")


async def close(app: AppContext) -> None:
    await app.bot.session.close()
    await app.db.close()
