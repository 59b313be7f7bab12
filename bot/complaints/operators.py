"""The operators' group: case cards with Take / Reply / Ask / Status / Note / Transfer / Urgent /
Reopen, /queue, /case N, /stats, /export. Every press is checked against the role and the case.

What an operator types reaches the migrant only in two ways: as a Telegram reply to the bot's own
prompt for that case (the prompt names the case), or after a preview "Send to case № N: <text>"
confirmed with its Send button. A message typed after pressing Reply therefore can never be relayed
unseen, even if the prompt went missing. Buttons may sit on messages Telegram no longer shows the bot
(`InaccessibleMessage`): prompts and pickers are always sent as new messages, and the input state is
set only after the prompt is on screen."""

from __future__ import annotations

import contextlib
import uuid
from datetime import timedelta
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.clock import Clock
from bot.complaints import keyboards as kb
from bot.complaints import notices, render, reports
from bot.complaints.callbacks import OpCb
from bot.complaints.cards import CaseBoard
from bot.complaints.models import (
    FINAL,
    INSTITUTIONS,
    MAX_ID,
    MAX_STATS_DAYS,
    MAX_TEXT,
    NEEDS_REASON,
    OPERATOR_STATUSES,
    REOPEN_STATUS,
    REOPENABLE,
    STATUSES,
    Case,
    parse_number,
)
from bot.complaints.repo import ComplaintRepo, Post
from bot.config import Settings
from bot.forms import register_form
from bot.i18n import Translator
from bot.outbox.sender import Sender

TO_MIGRANT = frozenset({"reply", "ask", "reason"})


class OperatorInput(StatesGroup):
    text = State()  # after a prompt: the operator's next message is shown back as a preview
    confirm = State()  # a preview is on screen: nothing goes anywhere until its Send is pressed


# A command typed inside this form puts it aside under this name (bot/forms.py).
register_form(OperatorInput, name="form-name-operator-input")


def create_router(chat_id: int) -> Router:
    router = Router(name="complaints-operators")
    router.message.filter(F.chat.id == chat_id)
    router.callback_query.filter(F.message.chat.id == chat_id)

    def operator(settings: Settings, user_id: int | None) -> bool:
        return user_id is not None and settings.is_operator(user_id)

    async def refused(message: Message, t: Translator, settings: Settings) -> bool:
        """Operator commands answer everyone else with a refusal (checked on the server, every time)."""
        if operator(settings, message.from_user.id if message.from_user else None):
            return False
        await message.answer(t(settings.operators_locale, "cp-op-not-operator"))
        return True

    def thread_of(query: CallbackQuery, case: Case) -> int | None:
        message = query.message
        if isinstance(message, Message):
            return message.message_thread_id if message.is_topic_message else None
        return case.thread_id  # the pressed message is gone: the case's topic, if it has one

    async def new_message(
        bot: Bot, thread: int | None, text: str, markup: InlineKeyboardMarkup | None = None
    ) -> Message:
        return await bot.send_message(chat_id, text, message_thread_id=thread, reply_markup=markup)

    async def settle(query: CallbackQuery, text: str) -> None:
        """The picker or preview a button was on says what happened; a vanished one is left alone."""
        if isinstance(query.message, Message):
            with contextlib.suppress(TelegramBadRequest):
                await query.message.edit_text(text)

    async def prompt(
        query: CallbackQuery,
        state: FSMContext,
        bot: Bot,
        t: Translator,
        locale: str,
        complaints: ComplaintRepo,
        case: Case,
        action: str,
        status: str | None = None,
    ) -> None:
        thread = thread_of(query, case)
        if action == "reason" and status is not None:
            text = t(
                locale, "cp-op-type-reason", number=case.number, status=render.status_name(t, locale, status)
            )
        else:
            text = t(locale, f"cp-op-type-{action}", number=case.number)
        try:
            sent = await new_message(bot, thread, text)  # on screen first, then the state
        except TelegramAPIError:
            # No prompt, no state: the operator's next message stays an ordinary message.
            await query.answer(t(locale, "cp-op-prompt-failed"), show_alert=True)
            return
        kind = f"prompt:{action}:{status}" if status else f"prompt:{action}"
        await complaints.add_post(case.id, chat_id, sent.message_id, kind)
        # The dispatcher keys state by user in chat (not by topic): the press and the typing share it.
        await state.set_state(OperatorInput.text)
        await state.set_data({"action": action, "case": case.id, "status": status})
        with contextlib.suppress(TelegramBadRequest):
            await query.answer()

    async def perform(
        author: int,
        action: str,
        case: Case,
        text: str,
        status: str | None,
        t: Translator,
        complaints: ComplaintRepo,
        sender: Sender,
        board: CaseBoard,
    ) -> str:
        """Store the operator's text (and the migrant's notice with it); returns the answer key."""
        if action in TO_MIGRANT and not case.is_open:
            return "cp-op-final"
        if action in TO_MIGRANT and case.erased:
            return "cp-op-erased"
        if action == "reason" and status in NEEDS_REASON:
            await complaints.set_status(case.id, status, author, text, lambda c: notices.status(t, c, text))
        elif action == "note":
            await complaints.add_message(case.id, "note", author, text, lambda c: [])
        elif action in {"reply", "ask"}:
            key = "cp-reply-to-migrant" if action == "reply" else "cp-ask-to-migrant"
            direction = "out" if action == "reply" else "ask"
            await complaints.add_message(
                case.id, direction, author, text, lambda c: notices.to_migrant(t, c, key, text=text)
            )
        else:
            return "button-expired"
        sender.wake()
        await board.redraw(case.id)
        return "cp-op-note-saved" if action == "note" else "cp-op-sent"

    @router.callback_query(OpCb.filter())
    async def press(
        query: CallbackQuery,
        callback_data: OpCb,
        state: FSMContext,
        bot: Bot,
        t: Translator,
        settings: Settings,
        complaints: ComplaintRepo,
        complaint_board: CaseBoard,
        sender: Sender,
    ) -> None:
        locale, board = settings.operators_locale, complaint_board
        if not operator(settings, query.from_user.id):
            await query.answer(t(locale, "cp-op-not-operator"), show_alert=True)
            return
        case = await complaints.get(callback_data.case)
        if case is None:
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        action, value = callback_data.action, callback_data.value
        if action in {"send", "edit", "cancel"}:
            await preview_pressed(
                query, callback_data, case, state, bot, t, locale, complaints, sender, board
            )
            return
        if action == "reopen":
            if case.status not in REOPENABLE:
                await query.answer(t(locale, "button-expired"), show_alert=True)
                return
            await complaints.set_status(
                case.id, REOPEN_STATUS, query.from_user.id, None, lambda c: notices.status(t, c, None)
            )
            sender.wake()
            await board.redraw(case.id)
            await query.answer(t(locale, "cp-op-reopened", number=case.number))
            return
        if not case.is_open:
            await query.answer(t(locale, "cp-op-final", number=case.number), show_alert=True)
            return
        if action == "take":
            if case.assignee_id not in (None, query.from_user.id) and value != "confirm":
                await query.answer(
                    t(locale, "cp-op-already-taken", operator=case.assignee_name or ""), show_alert=True
                )
                if isinstance(query.message, Message):
                    confirm = kb.card(t, locale, case)
                    confirm.inline_keyboard[0][0].callback_data = OpCb(
                        action="take", case=case.id, value="confirm"
                    ).pack()
                    with contextlib.suppress(TelegramBadRequest):
                        await query.message.edit_reply_markup(reply_markup=confirm)
                return
            await complaints.take(case.id, query.from_user.id, query.from_user.first_name)
            await query.answer(
                t(locale, "cp-op-taken", number=case.number, operator=query.from_user.first_name)
            )
            await board.redraw(case.id)
        elif action in {"reply", "ask"} and case.erased:
            await query.answer(t(locale, "cp-op-erased", number=case.number), show_alert=True)
        elif action in {"reply", "ask", "note"}:
            await prompt(query, state, bot, t, locale, complaints, case, action)
        elif action == "status":
            await new_message(
                bot,
                thread_of(query, case),
                t(locale, "cp-op-choose-status", number=case.number),
                kb.statuses(t, locale, case),
            )
            await query.answer()
        elif action == "set" and value in OPERATOR_STATUSES and value != case.status:
            if value in NEEDS_REASON:  # closing or rejecting needs a reason, asked next
                await prompt(query, state, bot, t, locale, complaints, case, "reason", value)
                return
            await complaints.set_status(
                case.id, value, query.from_user.id, None, lambda c: notices.status(t, c, None)
            )
            sender.wake()
            await board.redraw(case.id)
            await query.answer(t(locale, "cp-op-done", number=case.number))
            await settle(query, t(locale, "cp-op-done", number=case.number))
        elif action == "transfer":
            await new_message(
                bot,
                thread_of(query, case),
                t(locale, "cp-op-choose-institution", number=case.number),
                kb.institutions(t, locale, case),
            )
            await query.answer()
        elif action == "move" and value in INSTITUTIONS and value != case.institution:
            moved = await complaints.transfer(case.id, value, query.from_user.id)
            await board.redraw(case.id)
            await query.answer(t(locale, "cp-op-done", number=case.number))
            if moved is not None:
                institution = t(locale, f"cp-institution-{moved.institution}")
                await settle(
                    query, t(locale, "cp-op-transferred", number=case.number, institution=institution)
                )
        elif action == "urgent":
            await complaints.mark_urgent(case.id, query.from_user.id)
            await board.redraw(case.id)
            await query.answer(t(locale, "cp-op-done", number=case.number))
        else:
            await query.answer(t(locale, "button-expired"), show_alert=True)

    async def preview_pressed(
        query: CallbackQuery,
        callback_data: OpCb,
        case: Case,
        state: FSMContext,
        bot: Bot,
        t: Translator,
        locale: str,
        complaints: ComplaintRepo,
        sender: Sender,
        board: CaseBoard,
    ) -> None:
        data = await state.get_data()
        current = await state.get_state() == OperatorInput.confirm.state
        # Only the operator's own latest preview counts: an older preview's Send never sends newer text.
        if not current or data.get("nonce") != callback_data.value or data.get("case") != case.id:
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        action = str(data.get("action"))
        if callback_data.action == "cancel":
            await state.clear()
            await query.answer()
            await settle(query, t(locale, "cp-op-cancelled", number=case.number))
        elif callback_data.action == "edit":
            await settle(query, t(locale, "cp-op-cancelled", number=case.number))
            await prompt(query, state, bot, t, locale, complaints, case, action, data.get("status"))
        else:
            await state.clear()
            done = await perform(
                query.from_user.id,
                action,
                case,
                str(data.get("text", "")),
                data.get("status"),
                t,
                complaints,
                sender,
                board,
            )
            await query.answer()
            await settle(query, t(locale, done, number=case.number))
            if not isinstance(query.message, Message):
                await new_message(bot, case.thread_id, t(locale, done, number=case.number))

    async def show_preview(
        message: Message,
        state: FSMContext,
        t: Translator,
        locale: str,
        case: Case,
        action: str,
        status: str | None,
        text: str,
    ) -> None:
        if len(text) > MAX_TEXT:
            await message.reply(t(locale, "cp-text-too-long", length=len(text), max=MAX_TEXT))
            return
        nonce = uuid.uuid4().hex[:12]
        what = (
            t(locale, "cp-op-preview-reason", status=render.status_name(t, locale, status))
            if action == "reason" and status
            else t(locale, f"cp-op-preview-{action}")
        )
        await message.reply(
            t(locale, "cp-op-preview", what=what, number=case.number, text=text),
            reply_markup=kb.preview(t, locale, case, nonce),
        )
        await state.set_state(OperatorInput.confirm)  # after the preview is on screen
        await state.set_data(
            {"action": action, "case": case.id, "status": status, "text": text, "nonce": nonce}
        )

    async def replied_post(message: Message, complaints: ComplaintRepo) -> bool | dict[str, Any]:
        replied = message.reply_to_message
        if replied is None:
            return False
        post = await complaints.post(message.chat.id, replied.message_id)
        return {"post": post} if post is not None else False

    # A Telegram reply to one of the bot's messages about a case.
    @router.message(F.reply_to_message, F.text, ~F.text.startswith("/"), replied_post)
    async def reply_to_post(
        message: Message,
        post: Post,
        state: FSMContext,
        t: Translator,
        settings: Settings,
        complaints: ComplaintRepo,
        complaint_board: CaseBoard,
        sender: Sender,
    ) -> None:
        locale = settings.operators_locale
        if message.from_user is None or not operator(settings, message.from_user.id):
            return
        case = await complaints.get(post.case_id)
        if case is None:
            return
        text = message.text or ""
        if post.kind.startswith("prompt:"):
            # The reply names its case through the prompt it answers: stored at once.
            _, action, *rest = post.kind.split(":")
            if len(text) > MAX_TEXT:
                await message.reply(t(locale, "cp-text-too-long", length=len(text), max=MAX_TEXT))
                return
            data = await state.get_data()
            if data.get("case") == case.id:
                await state.clear()
            done = await perform(
                message.from_user.id,
                action,
                case,
                text,
                rest[0] if rest else None,
                t,
                complaints,
                sender,
                complaint_board,
            )
            await message.reply(t(locale, done, number=case.number))
            return
        # A reply to a card, a file or a follow-up: shown back first, sent only with Send.
        if not case.is_open or case.erased:
            key = "cp-op-final" if not case.is_open else "cp-op-erased"
            await message.reply(t(locale, key, number=case.number))
            return
        await show_preview(message, state, t, locale, case, "reply", None, text)

    @router.message(StateFilter(OperatorInput.text, OperatorInput.confirm), F.text, ~F.text.startswith("/"))
    async def typed(
        message: Message,
        state: FSMContext,
        t: Translator,
        settings: Settings,
        complaints: ComplaintRepo,
    ) -> None:
        locale = settings.operators_locale
        if not operator(settings, message.from_user.id if message.from_user else None):
            return
        data = await state.get_data()
        case = await complaints.get(int(data.get("case") or 0))
        action = str(data.get("action"))
        if case is None:
            await state.clear()
            return
        # Even right after a prompt, the text is only shown back: sending needs the Send button.
        await show_preview(message, state, t, locale, case, action, data.get("status"), message.text or "")

    @router.message(Command("queue"))
    async def queue(
        message: Message,
        command: CommandObject,
        t: Translator,
        settings: Settings,
        complaints: ComplaintRepo,
        clock: Clock,
    ) -> None:
        """/queue [new|mine|urgent|overdue|<status>]"""
        locale = settings.operators_locale
        if await refused(message, t, settings):
            return
        user_id = message.from_user.id if message.from_user else None
        which = (command.args or "").strip().lower()
        cases = await complaints.queue(only_open=which not in FINAL, limit=200)
        now = clock.now()
        overdue = {
            c.id
            for c in await complaints.untaken_since(
                now - timedelta(minutes=settings.urgent_take_minutes),
                now - timedelta(hours=settings.normal_take_hours),
            )
        }
        filters = {
            "": lambda c: True,
            "new": lambda c: c.assignee_id is None,
            "mine": lambda c: c.assignee_id == user_id,
            "urgent": lambda c: c.urgent,
            "overdue": lambda c: c.id in overdue,
            **{status: (lambda c, s=status: c.status == s) for status in STATUSES},
        }
        if which not in filters:
            await message.answer(t(locale, "cp-op-queue-usage"))
            return
        cases = [c for c in cases if filters[which](c)][:30]
        if not cases:
            await message.answer(t(locale, "cp-op-queue-empty"))
            return
        lines = [
            t(
                locale,
                "cp-op-queue-line",
                urgent="🚨 " if c.urgent else "",
                number=c.number,
                category=t(locale, f"cp-category-{c.category}"),
                status=render.status_name(t, locale, c.status),
                assignee=c.assignee_name or t(locale, "cp-op-nobody"),
            )
            for c in cases
        ]
        await message.answer(t(locale, "cp-op-queue-title") + "\n" + "\n".join(lines))

    @router.message(Command("stats"))
    async def show_stats(
        message: Message,
        command: CommandObject,
        t: Translator,
        settings: Settings,
        complaints: ComplaintRepo,
        clock: Clock,
    ) -> None:
        """/stats [DAYS]: all cases, or those submitted in the last DAYS days."""
        locale = settings.operators_locale
        if await refused(message, t, settings):
            return
        cases = await complaints.all_cases()
        if (command.args or "").strip():
            days = parse_number(command.args, 1, MAX_STATS_DAYS)
            if days is None:
                await message.answer(t(locale, "cp-op-stats-usage", max=MAX_STATS_DAYS))
                return
            since = clock.now() - timedelta(days=days)
            cases = [c for c in cases if c.created_at >= since]
        figures = reports.stats(cases)

        def join(counts: dict[str, int], prefix: str) -> str:
            return ", ".join(f"{t(locale, prefix + key)} {n}" for key, n in sorted(counts.items())) or "—"

        await message.answer(
            t(
                locale,
                "cp-op-stats",
                total=figures.total,
                statuses=join(figures.by_status, "cp-status-"),
                categories=join(figures.by_category, "cp-category-"),
                countries=join(figures.by_country, "cp-country-"),
                first="—"
                if figures.median_first_response_hours is None
                else str(figures.median_first_response_hours),
                close="—" if figures.median_close_hours is None else str(figures.median_close_hours),
            )
        )

    @router.message(Command("export"))
    async def export(message: Message, t: Translator, settings: Settings, complaints: ComplaintRepo) -> None:
        locale = settings.operators_locale
        if await refused(message, t, settings):
            return
        # Never personal data in the group; admins get it in a private chat (bot/complaints/mine.py).
        data = reports.csv_export(await complaints.all_cases(), personal=False)
        kind = t(locale, "cp-op-export-public")
        await message.answer_document(
            BufferedInputFile(data, filename="complaints.csv"),
            caption=t(locale, "cp-op-export-caption", kind=kind),
        )

    @router.message(Command("case"))
    async def show_case(
        message: Message,
        command: CommandObject,
        t: Translator,
        settings: Settings,
        complaints: ComplaintRepo,
        clock: Clock,
    ) -> None:
        locale = settings.operators_locale
        if await refused(message, t, settings):
            return
        number = parse_number(command.args, 1, MAX_ID)
        if number is None:
            await message.answer(t(locale, "cp-op-case-usage"))
            return
        case = await complaints.get(number)
        if case is None:
            await message.answer(t(locale, "cp-op-case-not-found", number=str(number)))
            return
        sent = await message.answer(
            render.card(t, locale, case, clock.now()), reply_markup=kb.card(t, locale, case)
        )
        # A copy of the card: redrawn with the others, redacted on /forget, replies to it are previewed.
        await complaints.add_post(case.id, message.chat.id, sent.message_id, "card")

    @router.callback_query(F.data.startswith("op:"))
    async def expired(query: CallbackQuery, t: Translator, settings: Settings) -> None:
        # Forged or out-of-range button data (it failed validation above).
        await query.answer(t(settings.operators_locale, "button-expired"), show_alert=True)

    return router
