"""Flood control runs before the database: a flooding person's dropped updates cost no query at all."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage
from sqlalchemy import event

from bot.context import AppContext
from bot.menu.callbacks import Area, LangCb, MenuCb
from tests.conftest import STAFF, Feed
from tests.support import updates
from tests.support.session import FakeSession

FLOODER, OTHER = 7101, 7102


@pytest.fixture
def statements(app: AppContext) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(statement)

    event.listen(app.db.engine.sync_engine, "before_cursor_execute", count)
    yield seen
    event.remove(app.db.engine.sync_engine, "before_cursor_execute", count)


async def choose_russian(feed: Feed, user: int) -> None:
    await feed(updates.message(user, "/start"))
    await feed(updates.click(user, LangCb(code="ru").pack()))


async def test_dropped_updates_cause_no_database_query(
    feed: Feed, session: FakeSession, app: AppContext, statements: list[str]
) -> None:
    await choose_russian(feed, FLOODER)
    limit = app.settings.flood_limit
    for _ in range(limit - 2):  # the two updates above count too
        await feed(updates.message(FLOODER, "/help"))
    session.clear()
    statements.clear()
    for _ in range(3):  # over the limit: the first gets "slow down", all three are dropped
        await feed(updates.message(FLOODER, "/help"))
    assert statements == [], statements
    texts = session.texts(FLOODER)
    assert len(texts) == 1 and "слишком часто" in texts[0]  # in the language the person chose

    # Button presses are dropped the same way, with the spinner stopped.
    statements.clear()
    await feed(updates.click(FLOODER, MenuCb(area=Area.ABOUT).pack()))
    assert statements == []
    assert session.sent(AnswerCallbackQuery)

    # Others are not affected: their updates go through, with the usual writes.
    session.clear()
    await feed(updates.message(OTHER, "/start"))
    assert session.sent(SendMessage, OTHER) and statements


async def test_staff_and_groups_are_not_throttled(feed: Feed, session: FakeSession, app: AppContext) -> None:
    await choose_russian(feed, STAFF)
    session.clear()
    for _ in range(app.settings.flood_limit + 3):
        await feed(updates.message(STAFF, "/help"))
    texts = session.texts(STAFF)
    assert len(texts) == app.settings.flood_limit + 3
    assert not any("слишком часто" in text for text in texts)


async def test_slow_down_in_the_stored_language_without_a_cache(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    """A restart empties the in-memory cache: the language is then read (not written) once."""
    await choose_russian(feed, FLOODER)
    dp = app.dispatcher
    assert dp is not None
    throttle = next(m for m in dp.update.outer_middleware if type(m).__name__ == "ThrottlingMiddleware")
    throttle._locales = type(throttle._locales)()  # as after a restart
    session.clear()
    for _ in range(app.settings.flood_limit + 1):
        await feed(updates.message(FLOODER, "/help", language_code="en"))
    assert any("слишком часто" in text for text in session.texts(FLOODER))
