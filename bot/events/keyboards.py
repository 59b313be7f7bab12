"""Buttons that travel inside outbox rows (notices are stored as Bot API JSON before sending)."""

from __future__ import annotations

from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.events.callbacks import EvCb
from bot.i18n import Translator


def notice_markup(t: Translator, locale: str, event_id: int) -> dict[str, Any]:
    """Under a new-event notice: open the card; change or stop these notices."""
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t(locale, "ev-btn-open"), callback_data=EvCb(action="show", id=event_id).pack()
                )
            ],
            [
                InlineKeyboardButton(
                    text=t(locale, "ev-btn-subscriptions"), callback_data=EvCb(action="subs").pack()
                )
            ],
        ]
    )
    return markup.model_dump(exclude_none=True)
