"""Free-text questions and topic browsing through the real process and the fake Bot API."""

from __future__ import annotations

import pytest

from bot.simulator.server import FakeTelegram
from tests.e2e.harness import StartBot

pytestmark = pytest.mark.e2e
KY_USER, RU_USER = 6001, 6002
PERSON_RU, PERSON_KY = "вопрос человеку", "адамга суроо"  # the "ask a person" button


async def start_in(tg: FakeTelegram, user: int, language: str) -> None:
    mark = tg.checkpoint()
    tg.user_sends(user, "/start")
    question = await tg.wait_message(user, button=language, since=mark)
    mark = tg.checkpoint()
    tg.user_clicks(user, question, language)
    await tg.wait_message(user, since=mark)


async def test_questions_and_topics_in_both_languages(tg: FakeTelegram, bot_process: StartBot) -> None:
    bot = await bot_process()
    await start_in(tg, KY_USER, "Кыргызча")
    await start_in(tg, RU_USER, "Русский")

    mark = tg.checkpoint()
    tg.user_sends(KY_USER, "patent kerekpi")
    card = await tg.wait_message(KY_USER, "Орусияда патентсиз иштөө", since=mark)
    assert "юридикалык кеңеш эмес" in card.text

    mark = tg.checkpoint()
    tg.user_clicks(KY_USER, card, "Булактар")
    sources = await tg.wait_message(KY_USER, "Булактар", since=mark)
    assert "ЕАЭБ жөнүндө келишим" in sources.text and "экинчи даражадагы булак" in sources.text

    mark = tg.checkpoint()
    tg.user_sends(RU_USER, "меня задержали полиция")
    urgent = await tg.wait_message(RU_USER, "🚨", since=mark)
    assert urgent.button("Срочное обращение")

    # Emergencies in everyday words: police slang (ru) and Latin-script Kyrgyz without the obvious words.
    for user, text, button in (
        (RU_USER, "мусора приняли на рынке, сижу в бобике", "Срочное обращение"),
        (RU_USER, "muzh b'et menya, pomogite", "Срочное обращение"),
        (KY_USER, "azyr mentter bizdi avtozakka salyshty", "Шашылыш"),
        (KY_USER, "kojoyun pasportumdu tartyp alyp korkutup jatat", "Шашылыш"),
    ):
        mark = tg.checkpoint()
        tg.user_sends(user, text)
        alarm = await tg.wait_message(user, "🚨", since=mark)
        assert alarm.button(button)

    # A question sharing words with topics ("паспорт", a flight abroad) but about something else: refused,
    # with the topics and a person offered (the learned refusal, bot/knowledge/refusal.py).
    for user, text, expected, person in (
        (RU_USER, "паспорт собаке для перелета в Турцию", "не нашёл ответа", PERSON_RU),
        (KY_USER, "баламдын мектептеги бааларын кантип көрөм", "жооп таба алган жокмун", PERSON_KY),
    ):
        mark = tg.checkpoint()
        tg.user_sends(user, text)
        refused = await tg.wait_message(user, expected, since=mark)
        assert refused.button(person)

    mark = tg.checkpoint()
    tg.user_sends(RU_USER, "/topics")
    topics = await tg.wait_message(RU_USER, "Темы", since=mark)
    mark = tg.checkpoint()
    tg.user_clicks(RU_USER, topics, "Полиция")
    category = await tg.wait_message(RU_USER, "Полиция", since=mark)
    mark = tg.checkpoint()
    tg.user_clicks(RU_USER, category, "Права при задержании")
    await tg.wait_message(RU_USER, "48 часов", since=mark)

    assert await bot.stop() == 0
    assert "Traceback" not in bot.log()
