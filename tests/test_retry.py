"""Calls made while answering an update are retried as the Bot API documents; bulk calls are not."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter, TelegramServerError
from aiogram.methods import AnswerCallbackQuery, SendMessage

from bot.telegram.retry import RetryMiddleware, bulk_call
from tests.support.session import FakeSession


@pytest.fixture
def slept() -> list[float]:
    return []


@pytest.fixture
def bot(slept: list[float]) -> Bot:
    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    session = FakeSession()
    session.middleware(RetryMiddleware(sleep=sleep))
    return Bot("1:test", session=session)


async def test_429_waits_retry_after_and_sends_once(bot: Bot, slept: list[float]) -> None:
    session = bot.session
    assert isinstance(session, FakeSession)
    session.fail_next(SendMessage, 429, "Too Many Requests: retry after 3", retry_after=3)
    await bot.send_message(5, "салам")
    assert slept == [3]
    assert len(session.sent(SendMessage)) == 2  # the refused one and the delivered one


async def test_long_429_is_not_waited_out_in_a_handler(bot: Bot, slept: list[float]) -> None:
    assert isinstance(bot.session, FakeSession)
    bot.session.fail_next(SendMessage, 429, "Too Many Requests: retry after 60", retry_after=60)
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(5, "салам")
    assert slept == []


async def test_server_errors_retry_only_idempotent_methods(bot: Bot, slept: list[float]) -> None:
    session = bot.session
    assert isinstance(session, FakeSession)
    session.fail_next(AnswerCallbackQuery, 502, "Bad Gateway")
    await bot.answer_callback_query("q1")
    assert len(session.sent(AnswerCallbackQuery)) == 2
    # A send that failed with 5xx may have been delivered: never repeated (no duplicates).
    session.fail_next(SendMessage, 502, "Bad Gateway")
    with pytest.raises(TelegramServerError):
        await bot.send_message(5, "салам")
    assert len(session.sent(SendMessage)) == 1


async def test_bulk_calls_pass_through(bot: Bot, slept: list[float]) -> None:
    assert isinstance(bot.session, FakeSession)
    bot.session.fail_next(SendMessage, 429, "Too Many Requests: retry after 3", retry_after=3)
    with bulk_call(), pytest.raises(TelegramRetryAfter):
        await bot.send_message(5, "салам")
    assert slept == []
