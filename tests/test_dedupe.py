"""An update Telegram delivers again (webhook retry, restart between polls) is handled once."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from aiogram.methods import SendMessage

from bot.app import close, create_app
from bot.clock import FrozenClock
from bot.config import Settings
from bot.context import AppContext
from bot.storage import migrate
from bot.storage.batch import GroupCommit
from tests.conftest import Feed
from tests.support import updates
from tests.support.session import FakeSession

USER = 5002


async def test_a_redelivered_update_is_answered_once(feed: Feed, session: FakeSession) -> None:
    first, second = updates.message(USER, "/help"), updates.message(USER, "/help")
    await feed(first)
    await feed(first)
    assert len(session.sent(SendMessage, USER)) == 1
    await feed(second)  # a new update from the same person still goes through
    assert len(session.sent(SendMessage, USER)) == 2


async def test_updates_arriving_together_share_a_transaction_and_each_is_answered_once(
    app: AppContext, session: FakeSession
) -> None:
    """Concurrent updates' writes go in one transaction (bot/storage/batch.py): a redelivery arriving
    while the first delivery is in flight is still dropped, everyone is answered once and recorded."""
    assert app.dispatcher is not None
    people = [updates.message(6000 + n, "/help") for n in range(12)]
    twice = people[0]
    await asyncio.gather(*(app.dispatcher.feed_update(app.bot, u) for u in [*people, twice, twice]))
    for n in range(12):
        assert len(session.sent(SendMessage, 6000 + n)) == 1
    assert await app.users.count() == 12
    # The same person twice at once (private chat and an inline query race): both go through.
    await asyncio.gather(
        app.dispatcher.feed_update(app.bot, updates.message(6001, "/help")),
        app.dispatcher.feed_update(app.bot, updates.message(6001, "/menu")),
    )
    assert len(session.sent(SendMessage, 6001)) == 3


async def test_group_commit_keeps_requests_with_a_shared_key_apart() -> None:
    batches: list[list[tuple[str, int]]] = []

    async def run(batch: Sequence[tuple[str, int]]) -> list[int]:
        batches.append(list(batch))
        await asyncio.sleep(0)
        if ("fail", 0) in batch:
            raise RuntimeError("database is locked")
        return [n for _, n in batch]

    group: GroupCommit[tuple[str, int], int] = GroupCommit(run, keys=lambda r: [r[0]])
    results = await asyncio.gather(group.submit(("a", 1)), group.submit(("b", 2)), group.submit(("a", 3)))
    assert results == [1, 2, 3]
    assert batches == [[("a", 1)], [("b", 2), ("a", 3)]] or batches == [[("a", 1), ("b", 2)], [("a", 3)]]
    # A failed transaction fails each request in it, and the next batch is unaffected.
    outcome = await asyncio.gather(group.submit(("fail", 0)), group.submit(("c", 4)), return_exceptions=True)
    assert isinstance(outcome[0], RuntimeError) and isinstance(outcome[1], RuntimeError)
    assert await group.submit(("d", 5)) == 5


async def test_a_chosen_language_is_stored_before_the_answer_and_survives_a_restart(
    settings: Settings, session: FakeSession, clock: FrozenClock
) -> None:
    from bot.menu.callbacks import LangCb

    first = create_app(settings, session=session, clock=clock)
    await migrate.upgrade(first.db)
    assert first.dispatcher is not None
    await first.dispatcher.feed_update(first.bot, updates.message(USER, "/start", language_code="ru"))
    await first.dispatcher.feed_update(first.bot, updates.click(USER, LangCb(code="ky").pack()))
    await close(first)
    again = create_app(settings, session=session, clock=clock)
    try:
        assert again.dispatcher is not None
        await again.dispatcher.feed_update(again.bot, updates.message(USER, "/menu", language_code="ru"))
        assert "Башкы меню" in session.last_text(USER)  # Kyrgyz, though Telegram says "ru"
    finally:
        await close(again)
