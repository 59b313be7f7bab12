"""Operators' group: take, reply, ask, status with reason, notes; the migrant's side: statuses,
follow-ups, withdraw, /my_complaints, /forget. Roles and forged data are checked on the server."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from sqlalchemy import select

from bot.complaints.callbacks import IntakeCb, MineCb, OpCb
from bot.complaints.tables import complaint_messages, complaints
from bot.context import AppContext
from bot.menu.callbacks import LangCb, SettingsAction, SettingsCb
from bot.storage.tables import audit_log, outbox
from tests.conftest import OPERATOR, OPERATORS_CHAT, Feed
from tests.support import updates
from tests.support.session import FakeSession

USER, STRANGER = 8101, 8102


def last_text(session: FakeSession) -> str:
    return [c for c in session.calls if isinstance(c, (SendMessage, EditMessageText))][-1].text


async def rows(app: AppContext, table: Any, *where: Any) -> list[Any]:
    async with app.db.connection() as conn:
        return list(await conn.execute(select(table).where(*where).order_by(table.c.id)))


async def submit(feed: Feed, locale: str = "ru", user: int = USER) -> None:
    await feed(updates.message(user, "/start"))
    await feed(updates.click(user, LangCb(code=locale).pack()))
    await feed(updates.message(user, "/complaint"))
    for step, value in (("country", "ru"), ("skip", ""), ("category", "police")):
        await feed(updates.click(user, IntakeCb(step=step, value=value).pack()))
    await feed(updates.message(user, "Полицейский забрал деньги при проверке документов"))
    for step, value in (
        ("done", ""),
        ("skip", ""),
        ("via", "chat"),
        ("noname", ""),
        ("agree", ""),
        ("send", ""),
    ):
        await feed(updates.click(user, IntakeCb(step=step, value=value).pack()))


def button(session: FakeSession, prefix: str) -> str:
    """The callback data of the newest button starting with `prefix` the bot has shown."""
    for call in reversed(session.calls):
        markup = getattr(call, "reply_markup", None)
        for row in getattr(markup, "inline_keyboard", None) or []:
            for b in row:
                if b.callback_data and b.callback_data.startswith(prefix):
                    return str(b.callback_data)
    raise AssertionError(f"no button {prefix!r} was shown")


async def confirm(feed: Feed, session: FakeSession) -> None:
    """Press Send on the preview of what the operator typed."""
    await feed(in_group(OPERATOR, button(session, "op:send:")))


def in_group(user: int, data: str) -> Any:
    return updates.click(user, data, chat_id=OPERATORS_CHAT, chat_type="supergroup")


def group_message(user: int, text: str, **fields: Any) -> Any:
    return updates.message(user, text, chat_id=OPERATORS_CHAT, chat_type="supergroup", **fields)


async def test_take_reply_status_reach_the_migrant_in_their_language(
    feed: Feed, session: FakeSession, app: AppContext, deliver: Any
) -> None:
    await submit(feed, "ky")
    await deliver()  # the card is posted in the operators' group
    session.clear()
    await feed(in_group(OPERATOR, OpCb(action="take", case=1).pack()))
    [case] = await rows(app, complaints)
    assert case.assignee_id == OPERATOR
    assert "Ответственный: Айбек" in last_text(session)  # the card shows who took it
    await feed(in_group(OPERATOR, OpCb(action="reply", case=1).pack()))
    await feed(group_message(OPERATOR, "Здравствуйте! Напишите, в каком городе это было."))
    assert "Отправить заявителю ответ по обращению № 00001" in last_text(session)  # shown back first
    assert await rows(app, outbox, outbox.c.kind == "case_reply") == []
    await confirm(feed, session)
    replies = await rows(app, outbox, outbox.c.kind == "case_reply")
    assert replies[-1].chat_id == USER
    assert "№ 00001 кайрылуу боюнча жооп" in replies[-1].payload["text"]  # Kyrgyz frame, operator's text
    assert "Напишите, в каком городе" in replies[-1].payload["text"]
    await feed(in_group(OPERATOR, OpCb(action="set", case=1, value="review").pack()))
    statuses = await rows(app, outbox, outbox.c.kind == "case_reply")
    assert "каралууда" in statuses[-1].payload["text"]
    [audit] = await rows(app, audit_log, audit_log.c.action == "complaint.status")
    assert audit.details == {"from": "received", "to": "review", "reason": None}


async def test_closing_requires_a_reason(feed: Feed, session: FakeSession, app: AppContext) -> None:
    await submit(feed)
    await feed(in_group(OPERATOR, OpCb(action="set", case=1, value="closed").pack()))
    assert "Укажите причину" in last_text(session)
    [case] = await rows(app, complaints)
    assert case.status == "received"  # not closed before the reason
    await feed(group_message(OPERATOR, "Деньги вернули, заявитель доволен"))
    await confirm(feed, session)
    [case] = await rows(app, complaints)
    assert case.status == "closed" and case.closed_at is not None
    notice = (await rows(app, outbox, outbox.c.kind == "case_reply"))[-1]
    assert "закрыто" in notice.payload["text"] and "Деньги вернули" in notice.payload["text"]


async def test_notes_stay_internal_and_replying_to_the_card_relays(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await submit(feed)
    await app.services["complaints"].set_card(1, 555)
    await feed(in_group(OPERATOR, OpCb(action="note", case=1).pack()))
    await feed(group_message(OPERATOR, "Проверить через посольство"))
    await confirm(feed, session)
    assert not [
        r for r in await rows(app, outbox, outbox.c.kind == "case_reply") if "посольство" in r.payload["text"]
    ]
    card = updates.message(999, "card", chat_id=OPERATORS_CHAT, chat_type="supergroup").message
    assert card is not None
    await feed(
        group_message(
            OPERATOR,
            "Мы направили запрос в МВД.",
            reply_to_message=card.model_copy(update={"message_id": 555}),
        )
    )
    await confirm(feed, session)
    assert "направили запрос" in (await rows(app, outbox, outbox.c.kind == "case_reply"))[-1].payload["text"]
    directions = [m.direction for m in await rows(app, complaint_messages)]
    assert directions == ["note", "out"]


async def test_only_operators_act_and_forged_cases_do_nothing(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await submit(feed)
    await feed(in_group(STRANGER, OpCb(action="take", case=1).pack()))
    assert "только операторы" in (session.sent(AnswerCallbackQuery)[-1].text or "")
    await feed(in_group(OPERATOR, OpCb(action="take", case=999).pack()))
    assert session.sent(AnswerCallbackQuery)[-1].show_alert
    [case] = await rows(app, complaints)
    assert case.assignee_id is None
    # A migrant cannot withdraw someone else's case.
    await feed(updates.click(STRANGER, MineCb(action="withdraw", case=1).pack()))
    [case] = await rows(app, complaints)
    assert case.status == "received"


async def test_follow_up_goes_to_the_case_and_ask_for_info_is_answered_directly(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await submit(feed)
    await feed(updates.message(USER, "Забыл сказать: это было у метро Выхино"))
    assert "Добавить это сообщение" in last_text(session)
    await feed(updates.click(USER, MineCb(action="add", case=1).pack()))
    followups = await rows(app, outbox, outbox.c.kind == "case_followup")
    assert followups[-1].chat_id == OPERATORS_CHAT and "метро Выхино" in followups[-1].payload["text"]
    # After "ask for information" the next message goes straight to the case.
    await feed(in_group(OPERATOR, OpCb(action="ask", case=1).pack()))
    await feed(group_message(OPERATOR, "Во сколько это было?"))
    await confirm(feed, session)
    await feed(updates.message(USER, "Около 19:00"))
    assert "Добавлено к обращению № 00001" in last_text(session)


async def test_a_command_during_the_follow_up_choice_and_continue_asks_it_again(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    from bot.forms import FormAction
    from tests.test_forms import offer

    await submit(feed)
    await feed(updates.message(USER, "Забыл сказать: это было у метро Выхино"))
    await feed(updates.message(USER, "/topics"))  # a command while the choice is on screen
    _, buttons = offer(session, USER)
    session.clear()
    await feed(updates.click(USER, buttons[FormAction.CONTINUE]))
    assert "Добавить это сообщение" in last_text(session)  # the same choice, not a generic prompt
    assert app.t("ru", "form-continue-generic") not in session.texts(USER)
    await feed(updates.click(USER, MineCb(action="add", case=1).pack()))
    followups = await rows(app, outbox, outbox.c.kind == "case_followup")
    assert followups and "метро Выхино" in followups[-1].payload["text"]


async def test_my_complaints_withdraw_and_forget(feed: Feed, session: FakeSession, app: AppContext) -> None:
    await submit(feed)
    await feed(updates.message(USER, "/my_complaints"))
    assert "№ 00001" in last_text(session) and "получено" in last_text(session)
    await feed(updates.click(USER, MineCb(action="withdraw", case=1).pack()))
    [case] = await rows(app, complaints)
    assert case.status == "withdrawn"
    await feed(updates.message(USER, "/forget"))
    await feed(updates.click(USER, SettingsCb(action=SettingsAction.FORGET_YES).pack()))
    [case] = await rows(app, complaints)
    assert case.user_id is None and case.description is None and case.category == "police"


async def test_untaken_cases_are_reannounced_once_per_period(
    feed: Feed, session: FakeSession, app: AppContext, clock: Any
) -> None:
    await submit(feed)
    reannounce = app.services["complaints_reannounce"]
    await reannounce()
    assert await rows(app, outbox, outbox.c.kind == "case_reannounce") == []  # not overdue yet
    clock.advance(timedelta(hours=25))
    await reannounce()
    await reannounce()  # the same period: stored once
    again = await rows(app, outbox, outbox.c.kind == "case_reannounce")
    assert len(again) == 1 and "никто не взял" in again[0].payload["text"]
    await feed(in_group(OPERATOR, OpCb(action="take", case=1).pack()))
    clock.advance(timedelta(hours=25))
    await reannounce()
    assert len(await rows(app, outbox, outbox.c.kind == "case_reannounce")) == 1  # taken: no more


async def test_stats_and_export_without_personal_data_in_the_group(
    feed: Feed, session: FakeSession, app: AppContext, clock: Any
) -> None:
    from aiogram.methods import SendDocument

    await submit(feed)
    await feed(group_message(OPERATOR, "/stats"))
    assert "Всего: 1" in last_text(session) and "Полиция" in last_text(session)
    clock.advance(timedelta(days=2))
    await feed(group_message(OPERATOR, "/stats 1"))  # the last day: no cases
    assert "Всего: 0" in last_text(session)
    await feed(group_message(OPERATOR, "/export"))
    document = session.sent(SendDocument)[-1]
    content = document.document.data.decode("utf-8-sig")  # type: ignore[union-attr]
    assert content.splitlines()[0].startswith("number,created_at")
    assert "Полицейский забрал" not in content and "description" not in content


async def test_transfer_to_the_other_institution_and_queue_filters(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await submit(feed)
    await submit(feed, user=STRANGER)
    await feed(in_group(OPERATOR, OpCb(action="take", case=1).pack()))
    await feed(in_group(OPERATOR, OpCb(action="transfer", case=2).pack()))
    assert "Передать обращение № 00002" in last_text(session)
    await feed(in_group(OPERATOR, OpCb(action="move", case=2, value="ru").pack()))
    [_, moved] = await rows(app, complaints)
    assert moved.institution == "ru"
    [audit] = await rows(app, audit_log, audit_log.c.action == "complaint.transferred")
    assert audit.details == {"from": "kg", "to": "ru"}
    await feed(group_message(OPERATOR, "/queue mine"))
    assert "№ 00001" in last_text(session) and "№ 00002" not in last_text(session)
    await feed(group_message(OPERATOR, "/queue new"))
    assert "№ 00002" in last_text(session) and "№ 00001" not in last_text(session)
    await feed(group_message(OPERATOR, "/queue whatever"))
    assert "Фильтры" in last_text(session)


async def test_personal_export_only_for_admins_in_private(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    from aiogram.methods import SendDocument

    from tests.conftest import ADMIN

    await submit(feed)
    await feed(updates.message(OPERATOR, "/export"))  # an operator, privately
    assert session.sent(SendDocument) == []
    await feed(updates.message(ADMIN, "/export"))
    content = session.sent(SendDocument)[-1].document.data.decode("utf-8-sig")  # type: ignore[union-attr]
    assert "Полицейский забрал" in content and "description" in content.splitlines()[0]
