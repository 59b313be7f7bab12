"""An update Telegram delivers again (webhook retry, restart between polls) is handled once."""

from __future__ import annotations

from aiogram.methods import SendMessage

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
