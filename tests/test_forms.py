"""A command typed in the middle of a form runs, and the form waits to be continued or discarded
(bot/forms.py), through the real Dispatcher: a complaint's story, an event registration's note, a
broadcast draft."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import select

from bot.broadcasts.callbacks import BcCb
from bot.complaints.callbacks import IntakeCb
from bot.context import AppContext
from bot.events import importer
from bot.events.callbacks import EvCb
from bot.events.tables import registrations
from bot.forms import FormAction, FormCb
from bot.menu.callbacks import LangCb
from bot.paths import DATA_DIR
from tests.conftest import STAFF, START, Feed
from tests.support import updates
from tests.support.session import FakeSession

USER = 8101
STORY = "Работодатель не платит зарплату два месяца, стройка в Химках."


@pytest.fixture
def settings(settings: Any) -> Any:
    return settings.model_copy(update={"flood_limit": 200})


async def begin(feed: Feed, user: int = USER) -> None:
    await feed(updates.message(user, "/start"))
    await feed(updates.click(user, LangCb(code="ru").pack()))


def context(app: AppContext, user: int = USER) -> Any:
    assert app.dispatcher is not None
    return app.dispatcher.fsm.get_context(app.bot, user, user)


def offer(session: FakeSession, user: int = USER) -> tuple[str, dict[FormAction, str]]:
    """The last offer of an unfinished form: its text and its buttons' data by action."""
    for call in reversed(session.sent(SendMessage, user)):
        markup = call.reply_markup
        if isinstance(markup, InlineKeyboardMarkup) and markup.inline_keyboard[0][0].callback_data.startswith(
            "form:"
        ):
            buttons = {
                FormCb.unpack(b.callback_data).action: b.callback_data for b in markup.inline_keyboard[0]
            }
            return call.text, buttons
    raise AssertionError("no offer to continue a form was sent")


async def test_a_command_at_the_complaint_story_step_runs_and_the_story_waits(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await begin(feed)
    await feed(updates.message(USER, "/complaint"))
    await feed(updates.click(USER, IntakeCb(step="country", value="ru").pack()))
    await feed(updates.message(USER, "Москва"))
    await feed(updates.click(USER, IntakeCb(step="category", value="wages").pack()))
    await feed(updates.message(USER, STORY))
    session.clear()

    await feed(updates.message(USER, "/topics"))
    texts = session.texts(USER)
    assert texts[0] == app.t("ru", "kb-categories-title")  # the command did what it says
    state = context(app)
    assert await state.get_state() is None
    text, buttons = offer(session)
    assert text == app.t("ru", "form-suspended", name=app.t("ru", "form-name-complaint"))

    session.clear()
    await feed(updates.click(USER, buttons[FormAction.CONTINUE]))
    assert await state.get_state() == "Intake:description"
    assert (await state.get_data())["description"] == STORY  # "/topics" did not become part of it
    # The step's own question comes back, not a generic "answer the last question".
    from bot.complaints.models import MAX_FILES, MAX_TEXT

    assert app.t("ru", "cp-ask-description", max=MAX_TEXT, files=MAX_FILES) in session.texts(USER)
    assert app.t("ru", "form-continue-generic") not in session.texts(USER)
    await feed(updates.message(USER, "Паспорт забрали."))
    assert (await state.get_data())["description"] == f"{STORY}\nПаспорт забрали."

    session.clear()
    await feed(updates.click(USER, buttons[FormAction.CONTINUE]))  # an old offer: used up
    (answer,) = session.sent(AnswerCallbackQuery)
    assert answer.text == app.t("ru", "button-expired")


async def test_a_command_at_the_event_note_step_is_not_saved_as_the_note(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    items, _ = importer.load(DATA_DIR / "events" / "sample_events.yaml", START)
    changes = await app.services["events"].upsert(items)
    [moscow] = [event for event, _ in changes if event.kind == "joint_reception" and event.city == "moscow"]
    await begin(feed)
    await feed(updates.click(USER, EvCb(action="reg", id=moscow.id).pack()))
    state = context(app)
    assert await state.get_state() == "Registering:note"
    session.clear()

    await feed(updates.message(USER, "/complaint"))  # starts the complaint form instead
    assert await state.get_state() == "Intake:country"
    assert not any(
        c.text.startswith(app.t("ru", "form-suspended-generic")) for c in session.sent(SendMessage)
    )
    # Leaving the complaint form brings the registration back.
    await feed(updates.click(USER, IntakeCb(step="cancel").pack()))
    _, buttons = offer(session)
    session.clear()
    await feed(updates.click(USER, buttons[FormAction.CONTINUE]))
    assert await state.get_state() == "Registering:note"
    # Its own question again, with its Skip button, not a generic "answer the last question".
    from bot.events.models import MAX_NOTE

    assert app.t("ru", "ev-ask-note", max=MAX_NOTE) in session.texts(USER)
    assert app.t("ru", "form-continue-generic") not in session.texts(USER)
    await feed(updates.message(USER, "зарплата"))
    await feed(updates.click(USER, EvCb(action="agree", id=moscow.id).pack()))
    async with app.db.connection() as conn:
        notes = list(await conn.execute(select(registrations.c.note).where(registrations.c.user_id == USER)))
    assert [row.note for row in notes] == ["зарплата"]  # the note, not "/complaint"


async def test_a_command_inside_a_broadcast_draft_and_continue_asks_again(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await begin(feed, STAFF)
    await feed(updates.message(STAFF, "/broadcast"))
    await feed(updates.message(STAFF, "Кабыл алуу 28-ноябрда"))
    session.clear()
    await feed(updates.message(STAFF, "/broadcasts"))
    assert session.texts(STAFF)[0] == app.t("ru", "bc-list-empty")
    text, buttons = offer(session, STAFF)
    assert text == app.t("ru", "form-suspended", name=app.t("ru", "form-name-broadcast"))
    assert "Рассылка" in text

    session.clear()
    await feed(updates.click(STAFF, buttons[FormAction.CONTINUE]))
    assert session.last_text(STAFF) == app.t("ru", "bc-ask-ru")  # the question of the step, again
    await feed(updates.click(STAFF, BcCb(action="same").pack()))
    state = context(app, STAFF)
    assert await state.get_state() == "Compose:media"
    assert (await state.get_data())["text_ru"] == "Кабыл алуу 28-ноябрда"


async def test_discard_drops_the_draft_and_restarting_the_same_form_offers_nothing(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await begin(feed, STAFF)
    await feed(updates.message(STAFF, "/broadcast"))
    await feed(updates.message(STAFF, "Биринчи"))
    await feed(updates.message(STAFF, "/help"))
    _, buttons = offer(session, STAFF)
    session.clear()
    await feed(updates.click(STAFF, buttons[FormAction.DISCARD]))
    assert session.sent(AnswerCallbackQuery)[-1].text == app.t("ru", "form-discarded")
    await feed(updates.click(STAFF, buttons[FormAction.CONTINUE]))
    assert session.sent(AnswerCallbackQuery)[-1].text == app.t("ru", "button-expired")
    state = context(app, STAFF)
    assert await state.get_state() is None

    await feed(updates.message(STAFF, "/broadcast"))
    await feed(updates.message(STAFF, "Экинчи"))
    session.clear()
    await feed(updates.message(STAFF, "/broadcast"))  # starting over: the old draft is not offered
    assert len(session.texts(STAFF)) == 1 and await state.get_state() == "Compose:ky"
    assert not any(call.text.startswith("У вас осталась") for call in session.sent(SendMessage))


async def test_an_operator_typing_a_command_while_writing_a_reply_in_the_group(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    from bot.complaints.callbacks import OpCb
    from tests.complaints.test_operators import USER as MIGRANT
    from tests.complaints.test_operators import button, group_message, in_group, submit
    from tests.conftest import OPERATOR, OPERATORS_CHAT

    await submit(feed)
    await feed(in_group(OPERATOR, OpCb(action="take", case=1).pack()))
    await feed(in_group(OPERATOR, OpCb(action="reply", case=1).pack()))
    assert app.dispatcher is not None
    state = app.dispatcher.fsm.get_context(app.bot, OPERATORS_CHAT, OPERATOR)
    assert await state.get_state() == "OperatorInput:text"
    session.clear()

    await feed(group_message(OPERATOR, "/stats"))
    assert not await replies(app)  # "/stats" is not relayed to the migrant as a reply
    assert await state.get_state() is None
    _, buttons = offer(session, OPERATORS_CHAT)
    await feed(in_group(OPERATOR + 1000, buttons[FormAction.CONTINUE]))  # someone else's button
    assert session.sent(AnswerCallbackQuery)[-1].text == app.t("ru", "button-expired")
    await feed(in_group(OPERATOR, buttons[FormAction.CONTINUE]))
    assert await state.get_state() == "OperatorInput:text"
    await feed(group_message(OPERATOR, "Здравствуйте! В каком городе это было?"))
    assert not await replies(app)  # shown back first: "Send to case № 1: …"
    await feed(in_group(OPERATOR, button(session, "op:send:")))
    [reply] = await replies(app)
    assert reply.chat_id == MIGRANT and "В каком городе" in reply.payload["text"]


async def replies(app: AppContext) -> list[Any]:
    from bot.storage.tables import outbox

    async with app.db.connection() as conn:
        return list(await conn.execute(select(outbox).where(outbox.c.kind == "case_reply")))


async def test_commands_a_form_handles_itself_and_other_bots_commands_stay_in_the_form(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    from aiogram.fsm.state import State, StatesGroup

    from bot.forms import register_form

    class Survey(StatesGroup):
        answer = State()

    register_form(Survey, commands=("/cancel",))
    await begin(feed)
    state = context(app)
    await state.set_state(Survey.answer)
    await state.set_data({"answers": 1})

    await feed(updates.message(USER, "/cancel"))  # the form's own command: no suspension
    assert await state.get_state() == "Survey:answer"
    await feed(updates.message(USER, "/help@other_bot"))  # meant for another bot
    assert await state.get_state() == "Survey:answer"
    session.clear()
    await feed(updates.message(USER, "/help@migrant_test_bot"))  # ours: the form waits
    assert session.texts(USER)[0] == app.t("ru", "help")
    assert await state.get_state() is None
    _, buttons = offer(session)
    await feed(updates.click(USER, buttons[FormAction.CONTINUE]))
    assert await state.get_state() == "Survey:answer" and await state.get_data() == {"answers": 1}
