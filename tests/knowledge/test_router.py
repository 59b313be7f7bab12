"""Topics, free-text answers and urgent cards through the real Dispatcher, in both languages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import Chat, InaccessibleMessage, InlineKeyboardMarkup

from bot.context import AppContext
from bot.knowledge.callbacks import KbAction, KbCb
from bot.menu.callbacks import Area, ComplainCb, LangCb, MenuCb
from tests.conftest import ADMIN, STAFF, Feed
from tests.support import updates
from tests.support.session import FakeSession

USER = 7001


def data(call: Any) -> list[str]:
    markup = call.reply_markup
    assert isinstance(markup, InlineKeyboardMarkup)
    return [b.callback_data or "" for row in markup.inline_keyboard for b in row]


def last(session: FakeSession) -> Any:
    return [c for c in session.calls if isinstance(c, (SendMessage, EditMessageText))][-1]


async def choose(feed: Feed, locale: str, user: int = USER) -> None:
    await feed(updates.message(user, "/start"))
    await feed(updates.click(user, LangCb(code=locale).pack()))


async def test_browse_categories_topics_card_details_sources_related(
    feed: Feed, session: FakeSession
) -> None:
    await choose(feed, "ru")
    await feed(updates.message(USER, "/topics"))
    categories = last(session)
    assert "Темы" in categories.text
    cat = KbCb(action=KbAction.CATEGORY, value="police").pack()
    assert cat in data(categories)
    await feed(updates.click(USER, cat))
    topic = KbCb(action=KbAction.TOPIC, value="detention_rights").pack()
    assert topic in data(last(session))
    await feed(updates.click(USER, topic))
    card = last(session)
    assert "Права при задержании" in card.text
    assert "информация, а не юридическая консультация" in card.text and "23.11.2026" in card.text
    assert ComplainCb(topic="detention_rights").pack() in data(card)
    await feed(updates.click(USER, KbCb(action=KbAction.DETAILS, value="detention_rights").pack()))
    assert "Правовая основа" in last(session).text
    await feed(updates.click(USER, KbCb(action=KbAction.SOURCES, value="detention_rights").pack()))
    assert '<a href="https://studopedia.info/5-112850.html">' in last(session).text
    await feed(updates.click(USER, KbCb(action=KbAction.RELATED, value="detention_rights").pack()))
    assert KbCb(action=KbAction.TOPIC, value="torture_report").pack() in data(last(session))


async def test_menu_areas_are_handled_by_the_knowledge_feature(feed: Feed, session: FakeSession) -> None:
    await choose(feed, "ky")
    await feed(updates.click(USER, MenuCb(area=Area.ASK).pack()))
    assert "өз сөзүңүз менен" in last(session).text
    await feed(updates.click(USER, MenuCb(area=Area.TOPICS).pack()))
    assert "Темалар" in last(session).text


async def test_long_category_is_paginated(feed: Feed, session: FakeSession, app: AppContext) -> None:
    await choose(feed, "ru")
    big = max(
        app.services["knowledge"].content.categories,
        key=lambda c: len(app.services["knowledge"].content.in_category(c.id)),
    )
    size = len(app.services["knowledge"].content.in_category(big.id))
    await feed(updates.click(USER, KbCb(action=KbAction.CATEGORY, value=big.id).pack()))
    first_page = data(last(session))
    if size > 8:
        assert KbCb(action=KbAction.CATEGORY, value=big.id, page=1).pack() in first_page
    assert len([d for d in first_page if d.startswith("kb:t:")]) == min(size, 8)


@pytest.mark.parametrize(
    ("locale", "question", "title", "topic"),
    [
        ("ru", "не платят зарплату уже два месяца", "Не платят зарплату", "wage_theft"),
        ("ky", "айлык бербей жатат", "Айлык төлөнбөй жатат", "wage_theft"),
        ("ky", "aylyk berbey jatat", "Айлык төлөнбөй жатат", "wage_theft"),
        ("ru", "рега", "Миграционный учёт", "registration_ru"),
    ],
)
async def test_free_text_answers_in_interface_language(
    feed: Feed, session: FakeSession, locale: str, question: str, title: str, topic: str
) -> None:
    await choose(feed, locale)
    await feed(updates.message(USER, question))
    card = last(session)
    assert title in card.text
    assert ComplainCb(topic=topic).pack() in data(card)


async def test_kyrgyz_question_in_russian_interface_offers_to_switch(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await choose(feed, "ru")
    await feed(updates.message(USER, "регистрацияны кантип жасайм"))
    card = last(session)
    assert "Миграционный учёт" in card.text  # answered in the interface language first
    switch = KbCb(action=KbAction.SWITCH, value="registration_ru", lang="ky").pack()
    assert switch in data(card)
    await feed(updates.click(USER, switch))
    assert "Миграциялык каттоо" in last(session).text
    user = await app.users.get(USER)
    assert user is not None and user.locale == "ky"


async def test_urgent_message_gets_urgent_card_with_one_tap_complaint(
    feed: Feed, session: FakeSession
) -> None:
    await choose(feed, "ky")
    await feed(updates.message(USER, "мени азыр полиция кармап кетти"))
    card = last(session)
    assert "🚨" in card.text and "48 сааттан" in card.text
    assert ComplainCb(urgent=True, category="police", topic="detention_rights").pack() in data(card)
    assert "+7" not in card.text and "+996" not in card.text  # no unverified phone numbers


async def test_not_found_and_small_talk_are_honest(feed: Feed, session: FakeSession) -> None:
    await choose(feed, "ru")
    await feed(updates.message(USER, "курс доллара на завтра"))
    not_found = last(session)
    assert "не нашёл" in not_found.text
    assert ComplainCb().pack() in data(not_found)
    await feed(updates.message(USER, "спасибо"))
    assert "Здравствуйте" in last(session).text


async def test_user_text_is_escaped(feed: Feed, session: FakeSession) -> None:
    await choose(feed, "ru")
    await feed(updates.message(USER, "<b>паспорт</b> & <script>"))
    assert "<script>" not in last(session).text


async def test_forged_and_outdated_buttons_explain(feed: Feed, session: FakeSession) -> None:
    await choose(feed, "ru")
    for forged in (
        KbCb(action=KbAction.TOPIC, value="no_such_topic").pack(),
        KbCb(action=KbAction.CATEGORY, value="police", page=99).pack(),
        KbCb(action=KbAction.SWITCH, value="wage_theft", lang="en").pack(),
        "kb:zz:1",
    ):
        session.clear()
        await feed(updates.click(USER, forged))
        answers = session.sent(AnswerCallbackQuery)
        assert answers and answers[-1].show_alert and "устарела" in (answers[-1].text or "")


async def test_kb_reload_is_for_admins_only(feed: Feed, session: FakeSession) -> None:
    await choose(feed, "ru")
    await feed(updates.message(USER, "/kb_reload"))
    assert "только сотрудникам" in last(session).text
    await choose(feed, "ru", user=ADMIN)
    await feed(updates.message(ADMIN, "/kb_reload"))
    assert "База знаний перезагружена: 39" in last(session).text


async def test_kb_answer_service_for_other_features(
    app: AppContext, feed: Feed, session: FakeSession
) -> None:
    await choose(feed, "ru")
    message = updates.message(USER, "x").message
    assert message is not None
    await app.services["kb_answer"](message.as_(app.bot), "не платят зарплату", "ru")
    assert "Не платят зарплату" in last(session).text


async def test_topic_near_an_emergency_offers_happening_now(feed: Feed, session: FakeSession) -> None:
    await choose(feed, "ru")
    await feed(updates.message(USER, "какие права при задержании полицией"))
    card = last(session)
    now = KbCb(action=KbAction.NOW, value="detention_rights").pack()
    assert "Права при задержании" in card.text and now in data(card)
    await feed(updates.click(USER, now))
    urgent = last(session)
    assert "🚨" in urgent.text
    assert ComplainCb(urgent=True, category="police", topic="detention_rights").pack() in data(urgent)


async def test_calm_topic_far_from_emergencies_has_no_alarm_button(feed: Feed, session: FakeSession) -> None:
    await choose(feed, "ru")
    await feed(updates.message(USER, "рега"))
    assert not [d for d in data(last(session)) if d.startswith("kb:now:")]


async def test_unsure_emergency_shows_the_urgent_card_and_the_topic(feed: Feed, session: FakeSession) -> None:
    await choose(feed, "ru")
    session.clear()
    await feed(updates.message(USER, "менты щас"))
    sent = session.sent(SendMessage)
    assert "🚨" in sent[-2].text
    assert "🚨" not in sent[-1].text and KbCb(action=KbAction.NOW, value="detention_rights").pack() in data(
        sent[-1]
    )


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ru", "мусора приняли сижу в бобике"),
        ("ky", "azyr mentter meni avtozakka salyshty"),
        ("ky", "kuyoom urup jatat"),
    ],
)
async def test_slang_and_latin_emergencies_get_the_urgent_card(
    feed: Feed, session: FakeSession, locale: str, text: str
) -> None:
    await choose(feed, locale)
    session.clear()
    await feed(updates.message(USER, text))
    sent = session.sent(SendMessage)
    assert len(sent) == 1 and "🚨" in sent[0].text


async def test_questions_about_the_bot_get_what_it_can_do(feed: Feed, session: FakeSession) -> None:
    await choose(feed, "ru")
    await feed(updates.message(USER, "ты бот или человек?"))
    assert "Я бот-помощник" in last(session).text


async def test_unanswered_questions_are_kept_without_user_id_for_staff(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await choose(feed, "ru")
    for _ in range(2):
        await feed(updates.message(USER, "как испечь торт на 8 марта"))
    await feed(updates.message(USER, "регистрация на олимпиаду по физике"))
    top = await app.services["kb_gaps"].top(app.clock.now().date())
    assert top[0].count == 2 and top[0].text == "как испечь торт на # марта"
    await feed(updates.message(USER, "/kb_gaps"))
    assert "только сотрудникам" in last(session).text
    await choose(feed, "ru", user=STAFF)
    await feed(updates.message(STAFF, "/kb_gaps"))
    listing = last(session)
    assert "2 × [ru] как испечь торт на # марта" in listing.text and str(USER) not in listing.text


async def test_gaps_older_than_90_days_are_purged(app: AppContext) -> None:
    gaps = app.services["kb_gaps"]
    today = app.clock.now().date()
    await gaps.record("старый вопрос", "ru", "no-match", today - timedelta(days=91))
    await gaps.record("новый вопрос", "ru", "no-match", today - timedelta(days=89))
    assert await gaps.purge(today) == 1
    assert [g.text for g in await gaps.top(today, days=365)] == ["новый вопрос"]


@pytest.mark.parametrize(
    "forged",
    [
        KbCb(action=KbAction.TOPIC, value="x" * 50).pack() + "y" * 20,
        "kb:t:" + "a" * 100,
        "kb:cat:police:99999999999999999999",
        "kb:now:wage_theft",
        "kb:t:wage_theft:0:zz",
    ],
)
async def test_oversized_or_forged_buttons_expire(feed: Feed, session: FakeSession, forged: str) -> None:
    await choose(feed, "ru")
    session.clear()
    await feed(updates.click(USER, forged))
    answers = session.sent(AnswerCallbackQuery)
    assert answers and answers[-1].show_alert and "устарела" in (answers[-1].text or "")


async def test_buttons_on_inaccessible_messages_send_a_new_message(feed: Feed, session: FakeSession) -> None:
    await choose(feed, "ru")
    update = updates.click(USER, KbCb(action=KbAction.NOW, value="detention_rights").pack())
    assert update.callback_query is not None
    gone = InaccessibleMessage(chat=Chat(id=USER, type="private"), message_id=1, date=0)
    update = update.model_copy(
        update={"callback_query": update.callback_query.model_copy(update={"message": gone})}
    )
    session.clear()
    await feed(update)
    assert "🚨" in session.sent(SendMessage)[-1].text
