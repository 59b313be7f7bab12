"""Shared fixtures: a migrated temp database, a frozen clock, a fake Telegram session, the real app.

`TEST_DATABASE=postgres pytest` runs the same tests on PostgreSQL + Redis (shared mode): one
throw-away database per run (random name, dropped at the end, emptied before each test) and one Redis
key prefix per test. Servers: TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres)
and TEST_REDIS_URL (default redis://127.0.0.1:6379/15)."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
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


ON_POSTGRES = os.environ.get("TEST_DATABASE", "sqlite").lower() in {"postgres", "postgresql"}


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str | None]:
    """The run's throw-away PostgreSQL database, migrated once (None on SQLite)."""
    if not ON_POSTGRES:
        yield None
        return
    from tests.support import servers

    with servers.throwaway_database() as url:
        yield url
    servers.forget_run_keys()


@pytest.fixture
def shared_backends(postgres_database: str | None) -> dict[str, str]:
    """Settings for the database matrix: {} on SQLite; on PostgreSQL an emptied database and a fresh
    Redis key prefix, so no state leaks between tests."""
    if postgres_database is None:
        return {}
    from tests.support import servers

    servers.empty_database(postgres_database)
    return {
        "database_url": postgres_database,
        "redis_url": servers.REDIS_URL,
        "redis_prefix": servers.new_prefix(),
    }


@pytest.fixture
def settings(tmp_path: Path, shared_backends: dict[str, str]) -> Settings:
    return load_settings(
        None,
        bot_token="123456:TEST-token_for-tests",
        database_url=shared_backends.get("database_url", f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"),
        redis_url=shared_backends.get("redis_url"),
        redis_prefix=shared_backends.get("redis_prefix", "migrant-bot"),
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
