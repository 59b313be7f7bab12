"""The sender, one message at a time, against a fake session: each Bot API answer leads to the
documented outcome, and nothing stored is lost."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from aiogram.methods import SendMessage
from sqlalchemy import select

from bot.context import AppContext
from bot.outbox.repo import BLOCKED, CANCELLED, FAILED, PENDING, SENT, UNCONFIRMED, OutboxItem, Outgoing
from bot.outbox.sender import MAX_UNDECODABLE_ATTEMPTS
from bot.storage.tables import outbox
from tests.support.session import FakeSession


async def one(app: AppContext, chat_id: int = 5, kind: str = "notice") -> OutboxItem:
    await app.outbox.enqueue([Outgoing(chat_id=chat_id, payload={"text": "салам"}, kind=kind)])
    [item] = await app.outbox.claim(1)
    return item


async def status(app: AppContext, item: OutboxItem) -> Any:
    async with app.db.connection() as conn:
        return (await conn.execute(select(outbox).where(outbox.c.id == item.id))).one()


async def test_sent_and_recorded(app: AppContext, session: FakeSession) -> None:
    item = await one(app)
    await app.sender.deliver(item)
    row = await status(app, item)
    assert row.status == SENT and row.result_message_id is not None
    assert len(session.sent(SendMessage)) == 1


async def test_429_pauses_and_keeps_the_message(app: AppContext, session: FakeSession) -> None:
    item = await one(app)
    session.fail_next(SendMessage, 429, "Too Many Requests: retry after 7", retry_after=7)
    await app.sender.deliver(item)
    row = await status(app, item)
    assert row.status == PENDING and row.not_before > app.clock.now()


async def test_403_marks_the_person_blocked(app: AppContext, session: FakeSession) -> None:
    await app.users.touch(5, "ru", "")
    item = await one(app)
    session.fail_next(SendMessage, 403, "Forbidden: bot was blocked by the user")
    await app.sender.deliver(item)
    assert (await status(app, item)).status == BLOCKED
    user = await app.users.get(5)
    assert user is not None and user.blocked


async def test_400_to_a_person_fails_but_a_group_is_retried(app: AppContext, session: FakeSession) -> None:
    item = await one(app)
    session.fail_next(SendMessage, 400, "Bad Request: chat not found")
    await app.sender.deliver(item)
    assert (await status(app, item)).status == FAILED
    group = await one(app, chat_id=-100)
    session.fail_next(SendMessage, 400, "Bad Request: chat not found")
    await app.sender.deliver(group)
    assert (await status(app, group)).status == PENDING  # the operators' queue never loses a card


async def test_server_errors_are_retried_with_backoff(app: AppContext, session: FakeSession) -> None:
    item = await one(app)
    session.fail_next(SendMessage, 502, "Bad Gateway")
    await app.sender.deliver(item)
    row = await status(app, item)
    assert row.status == PENDING and row.not_before > app.clock.now()


async def test_before_send_can_drop_an_expired_message(app: AppContext, session: FakeSession) -> None:
    async def expired(item: OutboxItem) -> OutboxItem | None:
        return None

    app.sender.before_send("reminder", expired)
    item = await one(app, kind="reminder")
    await app.sender.deliver(item)
    assert (await status(app, item)).status == CANCELLED
    assert session.sent(SendMessage) == []


async def test_crash_leaves_nothing_behind(app: AppContext) -> None:
    await app.outbox.enqueue([Outgoing(chat_id=c, payload={"text": "x"}, kind="notice") for c in (1, 2, 3)])
    claimed = await app.outbox.claim(2)  # a crash now: two rows stuck in "sending"
    assert len(claimed) == 2
    assert await app.outbox.reset_inflight() == 2
    assert len(await app.outbox.claim(10)) == 3


async def test_dedupe_key_stores_once(app: AppContext) -> None:
    item = Outgoing(chat_id=1, payload={"text": "x"}, kind="reminder", dedupe_key="rem:1:24h")
    assert await app.outbox.enqueue([item]) == 1
    assert await app.outbox.enqueue([item]) == 0


async def test_an_unparsable_ok_answer_counts_delivered_and_is_never_resent(
    app: AppContext, session: FakeSession, caplog: pytest.LogCaptureFixture
) -> None:
    item = await one(app)
    session.malform_next(SendMessage)
    with caplog.at_level(logging.WARNING, logger="bot"):
        await app.sender.deliver(item)
    row = await status(app, item)
    assert row.status == UNCONFIRMED and row.sent_at is not None
    assert await app.outbox.claim(10) == []  # nothing left to send: the message is not repeated
    assert len(session.sent(SendMessage)) == 1
    warnings = [r for r in caplog.records if r.name.startswith("bot")]
    assert len(warnings) == 1 and "салам" not in warnings[0].getMessage()


async def test_the_sender_loop_sends_an_unparsable_answer_once(app: AppContext, session: FakeSession) -> None:
    await app.outbox.enqueue([Outgoing(chat_id=5, payload={"text": "салам"}, kind="notice")])
    session.malform_next(SendMessage)
    app.clock.advance(timedelta(hours=1))  # type: ignore[attr-defined]
    app.sender.start()
    try:
        for _ in range(50):
            await asyncio.sleep(0.02)
            if (await app.outbox.counts()).get(UNCONFIRMED):
                break
        await asyncio.sleep(0.1)
    finally:
        await app.sender.stop()
    assert (await app.outbox.counts()) == {UNCONFIRMED: 1}
    assert len(session.sent(SendMessage)) == 1


async def test_a_body_that_is_not_json_is_retried_a_few_times_then_given_up(
    app: AppContext, session: FakeSession
) -> None:
    # A group: retried forever on other errors, but an unreadable answer must not loop.
    item = await one(app, chat_id=-100)
    session.malform_next(SendMessage, "<html>502 Bad Gateway</html>")
    await app.sender.deliver(item)
    assert (await status(app, item)).status == PENDING  # may not have been executed: try again
    last = await one(app, chat_id=-101)
    session.malform_next(SendMessage, "<html>502 Bad Gateway</html>")
    await app.sender.deliver(replace(last, attempts=MAX_UNDECODABLE_ATTEMPTS))
    assert (await status(app, last)).status == UNCONFIRMED
