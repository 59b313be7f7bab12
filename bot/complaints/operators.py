"""The operators' group: case cards with Take / Reply / Ask / Status / Note / Urgent, replies to a
card relayed to the migrant, /queue and /case N. Every press is checked against the role and the case."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.clock import Clock
from bot.complaints import keyboards as kb
from bot.complaints import notices, render, reports
from bot.complaints.callbacks import OpCb
from bot.complaints.models import (
    FINAL,
    INSTITUTIONS,
    MAX_TEXT,
    NEEDS_REASON,
    OPERATOR_STATUSES,
    STATUSES,
    Case,
)
from bot.complaints.repo import ComplaintRepo
from bot.config import Settings
from bot.i18n import Translator
from bot.outbox.sender import Sender


class OperatorInput(StatesGroup):
    text = State()  # the operator's next message in the group is a reply, question, note or reason


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

    async def refresh(query: CallbackQuery, t: Translator, locale: str, case: Case, now: datetime) -> None:
        if isinstance(query.message, Message):
            with contextlib.suppress(TelegramBadRequest):  # unchanged, or too old to edit
                await query.message.edit_text(
                    render.card(t, locale, case, now), reply_markup=kb.card(t, locale, case)
                )

    @router.callback_query(OpCb.filter())
    async def press(
        query: CallbackQuery,
        callback_data: OpCb,
        state: FSMContext,
        t: Translator,
        settings: Settings,
        complaints: ComplaintRepo,
        sender: Sender,
        clock: Clock,
    ) -> None:
        locale = settings.operators_locale
        if not operator(settings, query.from_user.id):
            await query.answer(t(locale, "cp-op-not-operator"), show_alert=True)
            return
        case = await complaints.get(callback_data.case)
        if case is None:
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        action = callback_data.action
        if not case.is_open and action != "take":
            await query.answer(t(locale, "cp-op-final", number=case.number), show_alert=True)
            return
        if action == "take":
            if case.assignee_id not in (None, query.from_user.id) and callback_data.value != "confirm":
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
            case = await complaints.take(case.id, query.from_user.id, query.from_user.first_name)
            await query.answer(
                t(locale, "cp-op-taken", number=case.number, operator=query.from_user.first_name)
            )
            await refresh(query, t, locale, case, clock.now())
        elif action in {"reply", "ask", "note"}:
            await state.set_state(OperatorInput.text)
            await state.update_data(action=action, case=case.id)
            await query.answer()
            assert isinstance(query.message, Message)
            await query.message.answer(t(locale, f"cp-op-type-{action}", number=case.number))
        elif action == "status":
            await query.answer()
            assert isinstance(query.message, Message)
            await query.message.answer(
                t(locale, "cp-op-choose-status", number=case.number),
                reply_markup=kb.statuses(t, locale, case),
            )
        elif action == "set" and callback_data.value in OPERATOR_STATUSES:
            status = callback_data.value
            if status in NEEDS_REASON:  # closing or rejecting needs a reason, asked next
                await state.set_state(OperatorInput.text)
                await state.update_data(action="reason", case=case.id, status=status)
                await query.answer()
                assert isinstance(query.message, Message)
                await query.message.answer(
                    t(
                        locale,
                        "cp-op-type-reason",
                        number=case.number,
                        status=render.status_name(t, locale, status),
                    )
                )
                return
            await complaints.set_status(
                case.id, status, query.from_user.id, None, lambda c: notices.status(t, c, None)
            )
            sender.wake()
            await query.answer(t(locale, "cp-op-done", number=case.number))
            if isinstance(query.message, Message):
                await query.message.edit_text(t(locale, "cp-op-done", number=case.number))
        elif action == "transfer":
            await query.answer()
            assert isinstance(query.message, Message)
            await query.message.answer(
                t(locale, "cp-op-choose-institution", number=case.number),
                reply_markup=kb.institutions(t, locale, case),
            )
        elif (
            action == "move"
            and callback_data.value in INSTITUTIONS
            and callback_data.value != case.institution
        ):
            moved = await complaints.transfer(case.id, callback_data.value, query.from_user.id)
            await query.answer(t(locale, "cp-op-done", number=case.number))
            if moved is not None and isinstance(query.message, Message):
                await query.message.edit_text(
                    t(
                        locale,
                        "cp-op-transferred",
                        number=case.number,
                        institution=t(locale, f"cp-institution-{moved.institution}"),
                    )
                )
        elif action == "urgent":
            updated = await complaints.mark_urgent(case.id, query.from_user.id)
            await query.answer(t(locale, "cp-op-done", number=case.number))
            if updated is not None:
                await refresh(query, t, locale, updated, clock.now())
        else:
            await query.answer(t(locale, "button-expired"), show_alert=True)

    async def perform(
        message: Message,
        action: str,
        case_id: int,
        text: str,
        status: str | None,
        t: Translator,
        settings: Settings,
        complaints: ComplaintRepo,
        sender: Sender,
    ) -> None:
        locale = settings.operators_locale
        assert message.from_user is not None
        author = message.from_user.id
        if len(text) > MAX_TEXT:
            await message.reply(t(locale, "cp-text-too-long", length=len(text), max=MAX_TEXT))
            return
        if action == "reason" and status is not None:
            case = await complaints.set_status(
                case_id, status, author, text, lambda c: notices.status(t, c, text)
            )
        elif action == "note":
            case = await complaints.add_message(case_id, "note", author, text, lambda c: [])
        else:
            key = "cp-reply-to-migrant" if action == "reply" else "cp-ask-to-migrant"
            direction = "out" if action == "reply" else "ask"
            case = await complaints.add_message(
                case_id, direction, author, text, lambda c: notices.to_migrant(t, c, key, text=text)
            )
        sender.wake()
        if case is not None:
            done = "cp-op-note-saved" if action == "note" else "cp-op-done"
            await message.reply(t(locale, done, number=case.number))

    @router.message(StateFilter(OperatorInput.text), F.text)
    async def typed(
        message: Message,
        state: FSMContext,
        t: Translator,
        settings: Settings,
        complaints: ComplaintRepo,
        sender: Sender,
    ) -> None:
        data = await state.get_data()
        await state.clear()
        if not operator(settings, message.from_user.id if message.from_user else None):
            return
        await perform(
            message,
            data["action"],
            int(data["case"]),
            message.text or "",
            data.get("status"),
            t,
            settings,
            complaints,
            sender,
        )

    # Replying to a case card in the group relays the text to the migrant, like the Reply button.
    @router.message(F.reply_to_message, F.text, ~F.text.startswith("/"))
    async def reply_to_card(
        message: Message, t: Translator, settings: Settings, complaints: ComplaintRepo, sender: Sender
    ) -> None:
        if not operator(settings, message.from_user.id if message.from_user else None):
            return
        assert message.reply_to_message is not None
        case = await complaints.by_card(message.reply_to_message.message_id)
        if case is None or not case.is_open:
            return
        await perform(message, "reply", case.id, message.text or "", None, t, settings, complaints, sender)

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
        days = (command.args or "").strip()
        if days.isdigit():
            since = clock.now() - timedelta(days=int(days))
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
        number = (command.args or "").strip().lstrip("№").strip()
        case = await complaints.get(int(number)) if number.isdigit() else None
        if case is None:
            await message.answer(t(locale, "button-expired"))
            return
        await message.answer(render.card(t, locale, case, clock.now()), reply_markup=kb.card(t, locale, case))

    return router
