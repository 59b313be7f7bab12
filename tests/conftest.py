"""Shared fixtures: a migrated temp database, a frozen clock, a fake Telegram session, the real app."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiogram.types import Update

from bot.app import close, create_app
from bot.clock import FrozenClock
from bot.config import Settings, load_settings
from bot.context import AppContext
from bot.storage import migrate
from tests.support.session import FakeSession

ADMIN, STAFF, OPERATOR = 1, 2, 3
OPERATORS_CHAT = -1001234567890
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

Feed = Callable[[Update], Awaitable[None]]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        None,
        bot_token="123456:TEST-token_for-tests",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        state_dir=tmp_path,
        admin_ids=str(ADMIN),
        staff_ids=str(STAFF),
        operator_ids=str(OPERATOR),
        operators_chat_id=OPERATORS_CHAT,
        default_locale="ky",
    )


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def session() -> FakeSession:
    return FakeSession()


@pytest.fixture
async def app(settings: Settings, session: FakeSession, clock: FrozenClock) -> AsyncIterator[AppContext]:
    application = create_app(settings, session=session, clock=clock)
    await migrate.upgrade(application.db)
    yield application
    await close(application)


@pytest.fixture
def feed(app: AppContext, caplog: pytest.LogCaptureFixture) -> Feed:
    async def feed_update(update: Update) -> None:
        assert app.dispatcher is not None
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="bot"):
            await app.dispatcher.feed_update(app.bot, update)
        # The error handler turns exceptions into an apology; a handler test must not pass on one.
        failures = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith("bot")]
        assert not failures, f"handler error: {failures[0].getMessage()} {failures[0].exc_info}"

    return feed_update
