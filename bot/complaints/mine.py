"""The migrant's side after submitting: /my_complaints, withdrawing, follow-up messages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.complaints import keyboards as kb
from bot.complaints import notices, render, reports
from bot.complaints.callbacks import MineCb
from bot.complaints.cards import CaseBoard
from bot.complaints.models import MAX_TEXT, Case
from bot.complaints.repo import ComplaintRepo
from bot.config import Settings
from bot.forms import Resumed, register_form
from bot.i18n import Translator
from bot.menu.callbacks import Area, MenuCb
from bot.menu.screens import show
from bot.outbox.sender import Sender


class FollowUp(StatesGroup):
    choosing = State()  # the text waits in FSM data until they say where it goes


async def ask_where(
    bot: Bot, chat_id: int, state: FSMContext, t: Translator, locale: str, cases: list[Case]
) -> None:
    """Where a message written while cases are open goes: a case, or the bot's answers."""
    key = "cp-followup-choice" if len(cases) == 1 else "cp-followup-which"
    await bot.send_message(
        chat_id, t(locale, key, number=cases[0].number), reply_markup=kb.followup(t, locale, cases)
    )
    await state.set_state(FollowUp.choosing)  # after the question is on screen


async def _resume(resumed: Resumed) -> None:
    """ "Continue" after a command: the same choice again (the cases may have changed meanwhile)."""
    t: Translator = resumed.context["t"]
    locale: str = resumed.context["locale"]
    complaints = resumed.context.get("complaints")
    bot = resumed.query.bot
    cases = (
        [c for c in await complaints.for_user(resumed.query.from_user.id) if c.is_open] if complaints else []
    )
    if bot is None or not cases:  # closed meanwhile: nothing to add it to
        await resumed.state.clear()
        if bot is not None:
            await bot.send_message(resumed.chat_id, t(locale, "button-expired"))
        return
    await ask_where(bot, resumed.chat_id, resumed.state, t, locale, cases)


# A command typed inside this form puts it aside under this name (bot/forms.py).
register_form(FollowUp, name="form-name-complaint-followup", resume=_resume)


def create_router() -> Router:
    router = Router(name="complaints-mine")
    router.message.filter(F.chat.type == "private")
    router.callback_query.filter(F.message.chat.type == "private")

    async def listing(
        event: Message | CallbackQuery, t: Translator, locale: str, complaints: ComplaintRepo
    ) -> None:
        cases = await complaints.for_user(event.from_user.id) if event.from_user else []
        if not cases:
            text = t(locale, "cp-my-empty")
        else:
            lines = [
                t(
                    locale,
                    "cp-my-line",
                    number=case.number,
                    category=t(locale, f"cp-category-{case.category}"),
                    status=render.status_name(t, locale, case.status),
                )
                for case in cases[:20]
            ]
            text = t(locale, "cp-my-title") + "\n" + "\n".join(lines)
        await show(event, text, kb.mine(t, locale, cases[:20]))

    @router.message(Command("export"))
    async def export_personal(
        message: Message, t: Translator, settings: Settings, complaints: ComplaintRepo
    ) -> None:
        """Admins only, and only here in a private chat: the CSV with personal data."""
        locale = settings.operators_locale
        if message.from_user is None or not settings.is_admin(message.from_user.id):
            await message.answer(t(locale, "not-allowed"))
            return
        data = reports.csv_export(await complaints.all_cases(), personal=True)
        kind = t(locale, "cp-op-export-personal")
        await message.answer_document(
            BufferedInputFile(data, filename="complaints-personal.csv"),
            caption=t(locale, "cp-op-export-caption", kind=kind),
        )

    @router.message(Command("my_complaints"))
    async def command(message: Message, t: Translator, locale: str, complaints: ComplaintRepo) -> None:
        await listing(message, t, locale, complaints)

    @router.callback_query(MenuCb.filter(F.area == Area.MY_COMPLAINTS))
    async def area(query: CallbackQuery, t: Translator, locale: str, complaints: ComplaintRepo) -> None:
        await listing(query, t, locale, complaints)

    @router.callback_query(MineCb.filter(F.action == "withdraw"))
    async def withdraw(
        query: CallbackQuery,
        callback_data: MineCb,
        t: Translator,
        locale: str,
        complaints: ComplaintRepo,
        settings: Settings,
        sender: Sender,
        complaint_board: CaseBoard,
    ) -> None:
        case = await complaints.get(callback_data.case)
        if case is None or case.user_id != query.from_user.id or not case.is_open:  # only their own, open
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        chat = settings.operators_chat_id
        await complaints.set_status(
            case.id,
            "withdrawn",
            query.from_user.id,
            None,
            lambda c: notices.to_operators(
                t,
                settings.operators_locale,
                chat,
                c,
                render.status_name(t, settings.operators_locale, "withdrawn"),
            ),
        )
        sender.wake()
        await complaint_board.redraw(case.id)
        await query.answer(t(locale, "cp-withdrawn", number=case.number), show_alert=True)
        await listing(query, t, locale, complaints)

    async def has_open_case(message: Message, complaints: ComplaintRepo) -> bool | dict[str, object]:
        if message.from_user is None:
            return False
        cases = [c for c in await complaints.for_user(message.from_user.id) if c.is_open]
        return {"open_cases": cases} if cases else False

    # A message while a case is open: this router comes before the knowledge feature's free text, which
    # answers everyone else.
    @router.message(StateFilter(None), F.text, ~F.text.startswith("/"), has_open_case)
    async def followup(
        message: Message,
        state: FSMContext,
        t: Translator,
        locale: str,
        complaints: ComplaintRepo,
        settings: Settings,
        sender: Sender,
        complaint_board: CaseBoard,
        open_cases: list[Case],
        bot: Bot,
    ) -> None:
        text = (message.text or "")[:MAX_TEXT]
        if len(open_cases) == 1 and await complaints.awaiting_info(open_cases[0].id):
            author = message.from_user.id if message.from_user else None
            reply = await add(
                t, locale, complaints, settings, sender, complaint_board, open_cases[0].id, author, text
            )
            await message.answer(reply)
            return
        await ask_where(bot, message.chat.id, state, t, locale, open_cases)
        await state.update_data(followup_text=text)

    @router.callback_query(MineCb.filter(F.action.in_({"add", "bot"})), StateFilter(FollowUp.choosing))
    async def chosen(
        query: CallbackQuery,
        callback_data: MineCb,
        state: FSMContext,
        t: Translator,
        locale: str,
        complaints: ComplaintRepo,
        settings: Settings,
        sender: Sender,
        complaint_board: CaseBoard,
        kb_answer: Callable[[CallbackQuery, str, str], Awaitable[None]],
    ) -> None:
        text = str((await state.get_data()).get("followup_text", ""))
        await state.clear()
        if callback_data.action == "bot":  # it was a question after all: answer it like free text
            await query.answer()
            await kb_answer(query, text, locale)
            return
        case = await complaints.get(callback_data.case)
        if case is None or case.user_id != query.from_user.id or not case.is_open:
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        reply = await add(
            t, locale, complaints, settings, sender, complaint_board, case.id, query.from_user.id, text
        )
        await show(query, reply)  # edits the question, or sends anew if it can no longer be edited

    async def add(
        t: Translator,
        locale: str,
        complaints: ComplaintRepo,
        settings: Settings,
        sender: Sender,
        board: CaseBoard,
        case_id: int,
        author: int | None,
        text: str,
    ) -> str:
        case = await complaints.add_message(
            case_id,
            "in",
            author,
            text,
            lambda c: notices.to_operators(t, settings.operators_locale, settings.operators_chat_id, c, text),
        )
        if case is None:  # gone between the question and the answer
            return t(locale, "button-expired")
        sender.wake()
        await board.redraw(case.id)
        return t(locale, "cp-followup-added", number=case.number)

    @router.callback_query(F.data.startswith("cm:"))
    async def expired(query: CallbackQuery, t: Translator, locale: str) -> None:
        # Forged or out-of-range data, or a follow-up question already answered.
        await query.answer(t(locale, "button-expired"), show_alert=True)

    return router
