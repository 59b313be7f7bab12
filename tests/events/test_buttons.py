"""Event buttons and forms through the real Dispatcher: buttons on messages Telegram no longer lets us
touch (InaccessibleMessage, date 0), forged or oversized callback data, commands typed in the middle of
a form, labels shortened at a word boundary, registrants' CSV safe in a spreadsheet."""

from __future__ import annotations

import csv
import io
import logging
from typing import Any

import pytest
from aiogram.fsm.context import FSMContext
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendDocument, SendMessage
from aiogram.types import Chat, InaccessibleMessage, Update
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.context import AppContext
from bot.events import render
from bot.events.callbacks import EvCb
from bot.events.editor import Editing
from bot.events.router import Registering
from bot.menu.callbacks import LangCb
from bot.paths import LOCALES_DIR
from tests.conftest import STAFF, Feed
from tests.events.test_events import load_samples
from tests.support import updates
from tests.support.session import FakeSession

USER = 7801


def gone(update: Update) -> Update:
    """The same button press, on a message that is too old or was deleted (as Telegram sends it)."""
    query = update.callback_query
    assert query is not None and query.message is not None
    message = InaccessibleMessage(chat=Chat(id=query.message.chat.id, type="private"), message_id=5)
    return update.model_copy(update={"callback_query": query.model_copy(update={"message": message})})


def press(user: int, data: str, accessible: bool = True) -> Update:
    update = updates.click(user, data)
    return update if accessible else gone(update)


def answered(session: FakeSession, update: Update) -> bool:
    assert update.callback_query is not None
    return any(a.callback_query_id == update.callback_query.id for a in session.sent(AnswerCallbackQuery))


def fsm(app: AppContext, user: int) -> FSMContext:
    assert app.dispatcher is not None
    return app.dispatcher.fsm.get_context(bot=app.bot, chat_id=user, user_id=user)


async def start(feed: Feed, user: int, locale: str = "ru") -> None:
    await feed(updates.message(user, "/start"))
    await feed(updates.click(user, LangCb(code=locale).pack()))


async def test_a_migrants_buttons_work_on_inaccessible_messages(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    moscow = (await load_samples(app))["sample-joint-reception-moscow"]
    await start(feed, USER)

    async def tap(action: str, **fields: Any) -> Update:
        update = press(USER, EvCb(action=action, **fields).pack(), accessible=False)
        session.clear()
        await feed(update)  # fails on any ERROR log line
        assert answered(session, update), action
        assert not session.sent(EditMessageText), action  # an inaccessible message cannot be edited
        return update

    await tap("list")
    assert session.sent(SendMessage, USER)
    await tap("show", id=moscow.id)
    assert moscow.title_ru in session.last_text(USER)
    await tap("reg", id=moscow.id)
    assert "Коротко опишите" in session.last_text(USER)
    assert await fsm(app, USER).get_state() == Registering.note.state
    await tap("skip", id=moscow.id)
    assert "Согласны" in session.last_text(USER)
    await tap("agree", id=moscow.id)
    assert "зарегистрированы" in session.last_text(USER)
    await tap("ics", id=moscow.id)
    assert session.sent(SendDocument, USER)
    for action, fields in (("my", {}), ("subs", {}), ("sub", {"kind": "all"}), ("unreg", {"id": moscow.id})):
        await tap(action, **fields)
    registration = await app.services["events"].registration(moscow.id, USER)
    assert registration is not None and registration.status == "cancelled"


async def test_staff_buttons_work_on_inaccessible_messages(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    samples = await load_samples(app)
    moscow, almaty = samples["sample-joint-reception-moscow"], samples["sample-reception-almaty"]
    await start(feed, STAFF)

    async def tap(action: str, **fields: Any) -> None:
        update = press(STAFF, EvCb(action=action, **fields).pack(), accessible=False)
        session.clear()
        await feed(update)
        assert answered(session, update), action
        assert not session.sent(EditMessageText), action

    await tap("new")
    assert "Вид мероприятия" in session.last_text(STAFF)
    await tap("ed", kind="webinar")
    assert "Организаторы" in session.last_text(STAFF)
    await tap("ed", kind="akyikatchy")  # a toggle redraws the question: here as a new message
    assert "✅ " + app.t("ru", "ev-org-akyikatchy") in str(session.sent(SendMessage, STAFF)[-1].reply_markup)
    await tap("edquit")
    assert await fsm(app, STAFF).get_state() is None
    await tap("edit", id=moscow.id)
    assert "Всё верно" in session.last_text(STAFF)
    await tap("edgroup", kind="texts")
    assert "на кыргызском" in session.last_text(STAFF)
    await tap("edquit")
    await tap("csv", id=moscow.id)
    assert session.sent(SendDocument, STAFF)
    await tap("drop", id=almaty.id)
    assert "отменено" in session.last_text(STAFF)


async def test_no_form_state_before_its_prompt_is_on_screen(session: FakeSession, app: AppContext) -> None:
    assert app.dispatcher is not None
    moscow = (await load_samples(app))["sample-joint-reception-moscow"]
    quiet = logging.getLogger("bot")
    level, quiet.level = quiet.level, logging.CRITICAL  # the failed sends are logged; that is expected
    try:
        await app.dispatcher.feed_update(app.bot, updates.message(USER, "/start"))
        await app.dispatcher.feed_update(app.bot, updates.click(USER, LangCb(code="ru").pack()))
        session.fail_next(SendMessage, 400, "Bad Request: message is too long")
        await app.dispatcher.feed_update(app.bot, press(USER, EvCb(action="reg", id=moscow.id).pack()))
        assert await fsm(app, USER).get_state() is None  # the note prompt never arrived
        assert await fsm(app, USER).get_data() == {}

        await app.dispatcher.feed_update(app.bot, updates.message(STAFF, "/start"))
        await app.dispatcher.feed_update(app.bot, updates.click(STAFF, LangCb(code="ru").pack()))
        await app.dispatcher.feed_update(app.bot, updates.message(STAFF, "/event_new"))
        for kind in ("webinar", "akyikatchy", "done"):
            await app.dispatcher.feed_update(app.bot, press(STAFF, EvCb(action="ed", kind=kind).pack()))
        assert (await fsm(app, STAFF).get_data())["queue"][0] == "title_ky"
        session.fail_next(SendMessage, 400, "Bad Request: message is too long")
        await app.dispatcher.feed_update(app.bot, updates.message(STAFF, "Аталышы"))
        data = await fsm(app, STAFF).get_data()  # the next question failed: still at the title
        assert data["queue"][0] == "title_ky" and "ky" not in data["raw"]["title"]
    finally:
        quiet.level = level


async def test_commands_typed_in_a_form_are_never_its_content(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    moscow = (await load_samples(app))["sample-joint-reception-moscow"]
    await start(feed, USER)
    await feed(press(USER, EvCb(action="reg", id=moscow.id).pack()))
    assert await fsm(app, USER).get_state() == Registering.note.state
    session.clear()
    await feed(updates.message(USER, "/events"))
    # The list, not the consent question; then the offer to continue the registration (bot/forms.py).
    assert any(app.t("ru", "ev-list-title") in text for text in session.texts(USER))
    assert "«Запись на мероприятие»" in session.last_text(USER)
    await feed(updates.message(USER, "/complaint"))
    assert "note" not in await fsm(app, USER).get_data()
    assert not any("Согласны" in text for text in session.texts(USER))
    assert await app.services["events"].registration(moscow.id, USER) is None

    await start(feed, STAFF)
    await feed(updates.message(STAFF, "/event_new"))
    for kind in ("webinar", "akyikatchy", "done"):
        await feed(press(STAFF, EvCb(action="ed", kind=kind).pack()))
    for command in ("/complaint", "/events", "/complaint что-то"):
        await feed(updates.message(STAFF, command))
        state = fsm(app, STAFF)
        if await state.get_state() == Editing.step.state:  # another feature may have taken over
            data = await state.get_data()
            assert data["queue"][0] == "title_ky" and "ky" not in data["raw"]["title"], command


# Random and forged callback data for the "ev" prefix, on accessible and inaccessible messages, from a
# migrant in the middle of registering and from staff in the middle of the editor.
ACTIONS = [*EvCb.model_fields["action"].annotation.__args__, "", "SHOW", "x" * 70]  # type: ignore[union-attr]
NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=6),  # existing events
    st.integers(min_value=2**31 - 2, max_value=2**31 + 2),  # around the limit of an INTEGER column
    st.integers(min_value=2**63 - 2, max_value=2**63 + 2),  # around SQLite's limit
    st.integers(min_value=10**19, max_value=10**40),
    st.integers(min_value=-(2**70), max_value=-1),
).map(str)
ODD = st.one_of(
    st.sampled_from(["", "-0", "1e3", "0x10", " 1", "1_0", "١", "²", "nan", "9" * 5000]), st.text(max_size=8)
)
KIND = st.one_of(
    st.sampled_from(["", "all", "kind.webinar", "city.moscow", "city.atlantis", "none", "done", "texts"]),
    st.text(max_size=50).filter(lambda s: ":" not in s),
)
PLACE = st.one_of(st.sampled_from(["", "ru", "kz", "kg", "online", "mars"]), st.text(max_size=5))
FORGED = st.one_of(
    # well formed, with out-of-range or odd values
    st.builds(
        lambda action, id, kind, page, place: f"ev:{action}:{id}:{kind}:{page}:{place}",
        st.sampled_from(ACTIONS),
        st.one_of(NUMBERS, ODD),
        KIND,
        st.one_of(NUMBERS, ODD),
        PLACE,
    ),
    # anything after the prefix, and ragged field counts
    st.text(max_size=80).map(lambda s: "ev:" + s),
    st.lists(st.one_of(st.sampled_from(ACTIONS), NUMBERS, st.text(max_size=6)), max_size=8).map(
        lambda parts: ":".join(["ev", *parts])
    ),
)


@settings(
    max_examples=300,
    deadline=None,
    database=None,  # nothing written into the work tree
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=FORGED, staff=st.booleans(), accessible=st.booleans())
async def test_forged_callback_data_never_raises(
    feed: Feed, session: FakeSession, app: AppContext, data: str, staff: bool, accessible: bool
) -> None:
    user = STAFF if staff else USER
    if not app.services.get("_forged_setup"):  # once per test: people in the middle of forms
        app.services["_forged_setup"] = True
        moscow = (await load_samples(app))["sample-joint-reception-moscow"]
        await start(feed, USER)
        await feed(press(USER, EvCb(action="reg", id=moscow.id).pack()))
        await start(feed, STAFF)
        await feed(updates.message(STAFF, "/event_new"))
    update = press(user, data, accessible)
    session.clear()
    await feed(update)  # no exception, no ERROR log line
    assert answered(session, update), data


def test_known_bad_data_gets_this_button_has_expired() -> None:
    for data in ("ev:show:99999999999999999999999:::", "ev:show:-1:::", "ev:list:0::99999999:", "ev:zz:1:::"):
        with pytest.raises(ValueError):
            EvCb.unpack(data)


async def test_expired_answer_for_an_oversized_id(feed: Feed, session: FakeSession, app: AppContext) -> None:
    await start(feed, USER)
    session.clear()
    update = press(USER, "ev:show:99999999999999999999999:::")
    await feed(update)
    [answer] = session.sent(AnswerCallbackQuery)
    assert answer.show_alert and answer.text == app.t("ru", "button-expired")


async def test_long_labels_are_cut_at_a_word_boundary(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    samples = await load_samples(app)
    await start(feed, USER)
    await feed(updates.message(USER, "/events"))
    labels = [b.text for row in session.sent(SendMessage, USER)[-1].reply_markup.inline_keyboard for b in row]
    for event in samples.values():
        full = f"{render.when(event.starts_at, event.timezone, 'ru')} · {event.title_ru}"
        [label] = [label for label in labels if label.startswith(full[:16])]
        assert label == full or (
            label.endswith("…") and len(label) <= 60 and (full + " ").startswith(label[:-1] + " ")
        )
    assert any(label.endswith("…") for label in labels)
    assert "Информационная встре" not in labels and "Информационная…" in labels  # kind filter, 20 characters


async def test_registrants_csv_cells_never_start_a_formula(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    moscow = (await load_samples(app))["sample-joint-reception-moscow"]
    notes = ['=HYPERLINK("http://x","y")', "+7 999", "-2+3", "@SUM(A1)", "\tcmd", "\r=1", "обычная заметка"]
    for n, note in enumerate(notes):
        await app.services["events"].register(moscow.id, 9000 + n, note)
    await start(feed, STAFF)
    await feed(press(STAFF, EvCb(action="csv", id=moscow.id).pack()))
    content = session.sent(SendDocument)[-1].document.data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [row["note"] for row in rows] == ["'" + note for note in notes[:-1]] + [notes[-1]]


def test_kyrgyz_texts_say_orusiya() -> None:
    for path in (LOCALES_DIR / "ky").glob("*.ftl"):
        assert "Росси" not in path.read_text(encoding="utf-8"), path
    assert "🇷🇺 Орусия" in (LOCALES_DIR / "ky" / "events.ftl").read_text(encoding="utf-8")
