"""Random button data with the complaints' prefixes and random command arguments, through the real
Dispatcher: no exception, no ERROR log line, and always an answer (an expired button, a usage line)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.complaints.tables import complaints
from bot.config import Settings
from bot.context import AppContext
from tests.complaints.test_hardening import submit
from tests.complaints.test_operators import group_message, in_group
from tests.conftest import OPERATOR, Feed
from tests.support import updates
from tests.support.session import FakeSession

USER = 8301
FUZZ = examples(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

numbers = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.sampled_from(["", "0", "1", "²", "٣", "１", "1e3", "0x1", " 1", "9" * 40, "-0", "№1"]),
)
words = st.one_of(
    st.sampled_from(
        [
            *(
                "take reply ask note status set transfer move urgent reopen send edit cancel withdraw add "
                "bot country category skip done via closed review ru kg confirm place"
            ).split(),
            "",
        ]
    ),
    st.text(max_size=12),
)
structured = st.tuples(st.sampled_from(["op", "cm", "ci"]), words, numbers, words).map(lambda p: ":".join(p))
free = st.tuples(st.sampled_from(["op:", "cm:", "ci:"]), st.text(max_size=60)).map("".join)
button_data = st.one_of(structured, free).filter(lambda d: 0 < len(d.encode()) <= 64)
arguments = st.one_of(numbers, st.text(max_size=40), st.tuples(numbers, st.text(max_size=10)).map(" ".join))


@pytest.fixture
def settings(settings: Settings) -> Settings:  # many presses from one person in no time
    return settings.model_copy(update={"flood_limit": 1_000_000})


async def ready(feed: Feed, app: AppContext) -> None:
    async with app.db.connection() as conn:
        count = (await conn.execute(select(func.count()).select_from(complaints))).scalar_one()
    if not count:
        await submit(feed, USER)


async def no_errors(feed: Feed, update: Any, caplog: pytest.LogCaptureFixture) -> None:
    await feed(update)  # fails on an ERROR from the bot's own loggers
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]  # and from aiogram's
    assert not errors, errors[0].getMessage()


@FUZZ
@given(data=button_data, private=st.booleans())
async def test_random_button_data_never_breaks_a_handler(
    feed: Feed,
    session: FakeSession,
    app: AppContext,
    caplog: pytest.LogCaptureFixture,
    data: str,
    private: bool,
) -> None:
    await ready(feed, app)
    session.clear()
    update = updates.click(USER, data) if private else in_group(OPERATOR, data)
    await no_errors(feed, update, caplog)
    assert session.sent(AnswerCallbackQuery)  # every press is answered, if only with "expired"


@FUZZ
@given(command=st.sampled_from(["/case", "/stats", "/queue"]), argument=arguments)
async def test_random_command_arguments_get_an_answer(
    feed: Feed,
    session: FakeSession,
    app: AppContext,
    caplog: pytest.LogCaptureFixture,
    command: str,
    argument: str,
) -> None:
    await ready(feed, app)
    session.clear()
    await no_errors(feed, group_message(OPERATOR, f"{command} {argument}".strip()), caplog)
    assert session.texts()  # a card, figures, a list or a usage line
