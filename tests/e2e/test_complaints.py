"""A complaint end to end, through the real process and the fake Bot API: intake → case number →
card in the operators' group → take → reply and status reach the migrant → follow-up reaches the
operators; the operators' chat failing for a while still gets every case exactly once."""

from __future__ import annotations

import pytest

from bot.simulator.server import FakeTelegram, Sent
from tests.e2e.harness import OPERATOR, OPERATORS_CHAT, StartBot

pytestmark = pytest.mark.e2e
MIGRANT = 6101


async def click(tg: FakeTelegram, user: int, message: Sent, label: str, expect: str | None = None) -> Sent:
    mark = tg.checkpoint()
    tg.user_clicks(user, message, label)
    return await tg.wait_message(message.chat_id, expect, since=mark)


async def say(
    tg: FakeTelegram, user: int, text: str, expect: str | None = None, chat: int | None = None
) -> Sent:
    mark = tg.checkpoint()
    tg.user_sends(user, text, chat_id=chat)
    return await tg.wait_message(chat or user, expect, since=mark)


async def test_complaint_round_trip(tg: FakeTelegram, bot_process: StartBot) -> None:
    # The operators' group is unreachable at first: two server errors, then it works.
    tg.fail_next("sendMessage", 502, "Bad Gateway", chat_id=OPERATORS_CHAT, times=2)
    bot = await bot_process(FLOOD_LIMIT="100")  # the migrant here types faster than a person
    mark = tg.checkpoint()
    tg.user_sends(MIGRANT, "/start")
    language = await tg.wait_message(MIGRANT, button="Кыргызча", since=mark)
    await click(tg, MIGRANT, language, "Кыргызча")

    step = await say(tg, MIGRANT, "/complaint", "өлкөдө")
    step = await click(tg, MIGRANT, step, "Орусия", "шаарда")
    step = await say(tg, MIGRANT, "Екатеринбург", "Теманы тандаңыз")
    step = await click(tg, MIGRANT, step, "Айлык", "Эмне болгонун жазыңыз")
    await say(tg, MIGRANT, "Кожоюн эки айдан бери айлык бербей жатат", "Жазылды")
    step = tg.messages(MIGRANT)[-1]
    step = await click(tg, MIGRANT, step, "Даяр", "Бул качан болду")
    step = await click(tg, MIGRANT, step, "Өткөрүп жиберүү", "кантип байланышабыз")
    step = await click(tg, MIGRANT, step, "Ушул чатта", "Атыңыз ким")
    step = await click(tg, MIGRANT, step, "Атсыз", "Макулдук")
    step = await click(tg, MIGRANT, step, "Макулмун", "текшериңиз")
    done = await click(tg, MIGRANT, step, "Жөнөтүү", "Номери")
    assert "00001" in done.text

    card = await tg.wait_message(OPERATORS_CHAT, "Обращение № 00001", timeout=30)
    assert card.button("Взять")
    taken = await click(tg, OPERATOR, card, "Взять", "Ответственный")
    assert "Ответственный" in taken.text

    await click(tg, OPERATOR, taken, "Ответить", "Ответ заявителю по № 00001")
    # What the operator types is shown back first; only its Send button relays it.
    preview = await say(
        tg,
        OPERATOR,
        "Саламатсызбы! Келишимиңиздин көчүрмөсүн жибериңиз.",
        "Отправить заявителю ответ по обращению № 00001",
        chat=OPERATORS_CHAT,
    )
    assert not [m for m in tg.messages(MIGRANT) if "көчүрмөсүн" in m.text]
    mark = tg.checkpoint()
    tg.user_clicks(OPERATOR, preview, "Отправить")
    relayed = await tg.wait_message(MIGRANT, "көчүрмөсүн", since=mark, timeout=20)
    assert "00001 кайрылуу боюнча жооп" in relayed.text
    assert relayed.data["from"]["is_bot"]  # from the institution's bot, not the operator

    status_menu = await click(tg, OPERATOR, taken, "Статус", "Новый статус")
    mark = tg.checkpoint()
    tg.user_clicks(OPERATOR, status_menu, "на рассмотрении")
    await tg.wait_message(MIGRANT, "каралууда", since=mark, timeout=20)

    mark = tg.checkpoint()
    tg.user_sends(MIGRANT, "Келишим жок, оозеки макулдашканбыз")
    choice = await tg.wait_message(MIGRANT, button="кошуу", since=mark)
    mark = tg.checkpoint()
    tg.user_clicks(MIGRANT, choice, "кошуу")
    followup = await tg.wait_message(OPERATORS_CHAT, "оозеки макулдашканбыз", since=mark, timeout=20)

    # /forget: the card and the relayed follow-up in the operators' chat lose the person's data.
    mark = tg.checkpoint()
    tg.user_sends(MIGRANT, "/forget")
    confirm = await tg.wait_message(MIGRANT, button="өчүрүү", since=mark)
    await click(tg, MIGRANT, confirm, "өчүрүү")
    redacted = await tg.wait_message(OPERATORS_CHAT, "Личные данные удалены", since=mark, timeout=20)
    assert redacted.message_id == card.message_id and "Кожоюн" not in redacted.text
    erased = await tg.wait_message(OPERATORS_CHAT, "удалено по его просьбе", since=mark, timeout=20)
    assert erased.message_id == followup.message_id and "оозеки" not in erased.text

    # Exactly one card despite the failures.
    cards = [
        s
        for s in tg.outputs
        if s.chat_id == OPERATORS_CHAT and "Обращение № 00001" in s.text and not s.data.get("edit_date")
    ]
    assert len(cards) == 1
    assert await bot.stop() == 0
    assert "Traceback" not in bot.log()


async def quick_complaint(tg: FakeTelegram, user: int) -> None:
    mark = tg.checkpoint()
    tg.user_sends(user, "/start")
    language = await tg.wait_message(user, button="Русский", since=mark)
    await click(tg, user, language, "Русский")
    step = await say(tg, user, "/complaint", "Где это произошло")
    step = await click(tg, user, step, "Россия", "В каком городе")
    step = await click(tg, user, step, "Пропустить", "Выберите тему")
    step = await click(tg, user, step, "Жильё", "Опишите")
    await say(tg, user, "Хозяин квартиры выгоняет без предупреждения", "Записано")
    step = await click(tg, user, tg.messages(user)[-1], "Готово", "Когда это произошло")
    step = await click(tg, user, step, "Пропустить", "Как с вами связаться")
    step = await click(tg, user, step, "В этом чате", "Как вас зовут")
    step = await click(tg, user, step, "Без имени", "Согласие")
    step = await click(tg, user, step, "Согласен", "Проверьте")
    await click(tg, user, step, "Отправить", "Номер")


async def test_forum_group_gets_a_topic_per_case_recreated_if_deleted(
    tg: FakeTelegram, bot_process: StartBot
) -> None:
    tg.forums.add(OPERATORS_CHAT)
    bot = await bot_process()
    await quick_complaint(tg, MIGRANT)
    card = await tg.wait_message(OPERATORS_CHAT, "Обращение № 00001", timeout=30)
    thread = card.data.get("message_thread_id")
    assert thread is not None and thread in tg.topics[OPERATORS_CHAT]
    assert tg.calls_of("createForumTopic")[0].params["name"].startswith("№ 00001")

    tg.delete_topic(OPERATORS_CHAT, thread)  # an admin deleted the topic
    mark = tg.checkpoint()
    tg.user_sends(MIGRANT, "Он сменил замки")
    choice = await tg.wait_message(MIGRANT, button="Добавить", since=mark)
    mark = tg.checkpoint()
    tg.user_clicks(MIGRANT, choice, "Добавить")
    followup = await tg.wait_message(OPERATORS_CHAT, "сменил замки", since=mark, timeout=30)
    new_thread = followup.data.get("message_thread_id")
    assert new_thread is not None and new_thread != thread and new_thread in tg.topics[OPERATORS_CHAT]
    assert await bot.stop() == 0


async def test_restart_mid_intake_forged_buttons_and_forget(tg: FakeTelegram, bot_process: StartBot) -> None:
    bot = await bot_process()
    mark = tg.checkpoint()
    tg.user_sends(MIGRANT, "/start")
    language = await tg.wait_message(MIGRANT, button="Русский", since=mark)
    await click(tg, MIGRANT, language, "Русский")
    step = await say(tg, MIGRANT, "/complaint", "Где это произошло")
    step = await click(tg, MIGRANT, step, "Россия", "В каком городе")
    assert await bot.stop() == 0  # the bot restarts in the middle of the form

    bot = await bot_process()
    step = await say(tg, MIGRANT, "Самара", "Выберите тему")  # the form goes on where it was
    step = await click(tg, MIGRANT, step, "Зарплата", "Опишите")

    # Forged data: an operator action from a migrant's chat and an invented case do nothing.
    query = tg.user_presses(MIGRANT, step, "op:take:1:")
    await tg.wait_for(lambda: tg.answered(query) is not None)
    assert tg.answered(query)["show_alert"]  # type: ignore[index]
    query = tg.user_presses(OPERATOR, step, "cm:withdraw:999")
    await tg.wait_for(lambda: tg.answered(query) is not None)

    mark = tg.checkpoint()
    tg.user_sends(MIGRANT, "/forget")
    confirm = await tg.wait_message(MIGRANT, button="удалить", since=mark)
    await click(tg, MIGRANT, confirm, "удалить", "удалены")
    assert await bot.stop() == 0
    assert "Traceback" not in bot.log()
