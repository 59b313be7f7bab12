"""The last router: whatever no feature handled gets a short helpful answer, never silence."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.exceptions import TelegramForbiddenError
from aiogram.filters import Command
from aiogram.types import CallbackQuery, ErrorEvent, Message

from bot.i18n import Translator
from bot.menu import keyboards as kb
from bot.menu.callbacks import ComplainCb, MenuCb
from bot.menu.screens import show
from bot.users.repo import UserRepo

log = logging.getLogger(__name__)

# Commands of areas still being built; their feature router answers them once it exists.
AREA_COMMANDS = ("topics", "events", "complaint", "my_complaints")


def create_router(default_locale: str) -> Router:
    router = Router(name="fallback")

    @router.callback_query(ComplainCb.filter())
    @router.callback_query(MenuCb.filter())
    async def area_not_ready(query: CallbackQuery, t: Translator, locale: str) -> None:
        await show(query, t(locale, "area-not-ready"), kb.back_home(t, locale))

    @router.message(F.chat.type == "private", Command(*AREA_COMMANDS))
    async def command_not_ready(message: Message, t: Translator, locale: str) -> None:
        await message.answer(t(locale, "area-not-ready"), reply_markup=kb.back_home(t, locale))

    @router.message(F.chat.type == "private", F.text.startswith("/"))
    async def unknown_command(message: Message, t: Translator, locale: str) -> None:
        await message.answer(t(locale, "unknown-command"), reply_markup=kb.main_menu(t, locale))

    @router.message(F.chat.type == "private", F.text)
    async def free_text(message: Message, t: Translator, locale: str) -> None:
        await message.answer(t(locale, "text-not-understood"), reply_markup=kb.main_menu(t, locale))

    @router.message(F.chat.type == "private")
    async def unsupported(message: Message, t: Translator, locale: str) -> None:
        await message.answer(t(locale, "unsupported-content"), reply_markup=kb.main_menu(t, locale))

    @router.callback_query()
    async def expired_button(query: CallbackQuery, t: Translator, locale: str) -> None:
        # Unknown, outdated or forged callback data: nothing happens but an explanation.
        await query.answer(t(locale, "button-expired"), show_alert=True)

    @router.errors()
    async def on_error(event: ErrorEvent, t: Translator, users: UserRepo, locale: str | None = None) -> None:
        update = event.update
        if isinstance(event.exception, TelegramForbiddenError):
            # 403: the person blocked the bot while we were answering. Nothing to apologise to;
            # remember it so that notices skip them until they write again.
            user = update.event.from_user if hasattr(update.event, "from_user") else None
            if user is not None:
                await users.mark_blocked(user.id)
            log.info("update %s: bot blocked by the user", update.update_id)
            return
        # Log the update id and the error only: no message text, no names.
        log.error(
            "update %s failed: %s", update.update_id, type(event.exception).__name__, exc_info=event.exception
        )
        chat_id = None
        if update.message is not None and update.message.chat.type == "private":
            chat_id = update.message.chat.id
        elif update.callback_query is not None and update.callback_query.message is not None:
            if update.callback_query.message.chat.type == "private":
                chat_id = update.callback_query.message.chat.id
        if chat_id is None:
            return
        try:
            await update.bot.send_message(chat_id, t(locale or default_locale, "error-apology"))  # type: ignore[union-attr]
        except Exception:  # the apology itself failed (Telegram down): nothing more to do
            log.warning("could not send the apology for update %s", update.update_id)

    return router
