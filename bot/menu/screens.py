"""Showing a screen: edit the message a button was pressed on, or send a new one."""

from __future__ import annotations

import contextlib

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message


async def show(event: Message | CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    if isinstance(event, CallbackQuery):
        message = event.message
        if isinstance(message, Message) and message.text is not None:
            try:
                await message.edit_text(text, reply_markup=markup)
            except TelegramBadRequest as exc:
                if "not modified" not in exc.message:
                    # Too old to edit, or it was a photo: send the screen as a new message.
                    await message.answer(text, reply_markup=markup)
        elif message is not None:
            await event.bot.send_message(message.chat.id, text, reply_markup=markup)  # type: ignore[union-attr]
        with contextlib.suppress(TelegramBadRequest):  # the query may already be too old to answer
            await event.answer()
        return
    await event.answer(text, reply_markup=markup)
