"""Builds the bot: one function wires configuration, storage, translator, sender and feature routers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import SimpleEventIsolation
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import broadcasts, complaints, events, forms, knowledge
from bot.cli import HEARTBEAT_FILE
from bot.clock import Clock, SystemClock
from bot.cluster import Cluster
from bot.config import Settings
from bot.context import AppContext
from bot.i18n import Translator
from bot.menu import fallback
from bot.menu import router as menu
from bot.menu.commands import set_default_commands, set_group_commands
from bot.middlewares.dedupe import forget_old_updates
from bot.middlewares.throttling import KnownLocales, ThrottlingMiddleware, install_first
from bot.middlewares.users import UserMiddleware
from bot.observability import ApiCallMetrics, UpdateMetrics
from bot.outbox.limiter import RateLimiter
from bot.outbox.repo import OutboxRepo
from bot.outbox.sender import Sender
from bot.paths import LOCALES_DIR
from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.fsm import SqlStorage
from bot.telegram.json_session import JsonSession
from bot.telegram.response_types import KeepResponseTypes
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
        session = JsonSession(timeout=settings.telegram_timeout)  # bounded: see runners.start_up
        if settings.telegram_api_url:
            session.api = TelegramAPIServer.from_base(settings.telegram_api_url)
    session.middleware(RetryMiddleware())
    session.middleware(KeepResponseTypes())
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
    # Shared mode: the rate limit, job leadership and per-user state are the cluster's (bot/cluster).
    cluster = Cluster.connect(settings, outbox.owner) if settings.shared else None
    limiter = cluster.limiter(settings.send_rate) if cluster else RateLimiter(settings.send_rate)
    sender = Sender(bot, outbox, limiter, clock, concurrency=settings.send_concurrency)
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
        scheduler=cluster.scheduler() if cluster else AsyncIOScheduler(timezone="UTC"),
        eraser=DataEraser(db),
        cluster=cluster,
    )
    bot.session.middleware(ApiCallMetrics(app.metrics))
    feature_routers: list[Router] = []
    for feature in FEATURES:
        feature_routers.extend(feature.install(app))
    if cluster is not None:
        app.eraser.register(cluster.erase_user)
    # One process on its own database (no cluster): it may keep in memory which keys have a row.
    fsm = storage or (cluster.fsm_storage() if cluster else SqlStorage(db, clock, sole_writer=db.is_sqlite))
    app.dispatcher = create_dispatcher(app, feature_routers, fsm)
    return app


def create_dispatcher(app: AppContext, feature_routers: Sequence[Router], storage: BaseStorage) -> Dispatcher:
    # One update per user at a time: a double tap cannot run a form step twice.
    cluster = app.cluster
    isolation = cluster.events_isolation() if cluster else SimpleEventIsolation()
    dp = Dispatcher(storage=storage, events_isolation=isolation, **app.workflow_data())
    locales = KnownLocales()
    # Flood control first: a flood is dropped before any database read or write (in shared mode the
    # count is the cluster's, in Redis).
    flood = (app.settings.flood_limit, app.settings.flood_window_seconds)
    counter = cluster.flood_counter(*flood) if cluster else None
    install_first(dp, ThrottlingMiddleware(app.settings, app.t, app.users, locales, counter))
    dp.update.outer_middleware(UpdateMetrics(app.metrics))
    # Update dedupe: in Redis in shared mode; otherwise in the database, in one transaction with the
    # user's row (UserMiddleware), and concurrent updates share that transaction (bot/storage/batch.py).
    if cluster is not None:
        dp.update.outer_middleware(cluster.dedupe())
    dp.update.outer_middleware(UserMiddleware(app.users, app.settings, locales, dedupe=cluster is None))
    forms.install(dp)  # a command typed inside a form suspends the form (bot/forms.py)
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
    # aiogram's polling stops without awaiting the updates it is still handling: let them finish (a
    # form step shows its question first and saves its state right after) before the database closes.
    in_flight = list(getattr(app.dispatcher, "_handle_update_tasks", ()))
    if in_flight:
        await asyncio.wait(in_flight, timeout=10)
    if app.scheduler.running:
        app.scheduler.shutdown(wait=False)
    await app.sender.stop()
    log.info("bot stopped")


async def close(app: AppContext) -> None:
    await app.bot.session.close()
    if app.cluster is not None:
        await app.cluster.close()
    await app.db.close()
