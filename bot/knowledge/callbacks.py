"""Callback data of the knowledge screens. Topic and category ids are checked against the loaded
content on every press; unknown ones get the 'button expired' answer."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class KbAction(StrEnum):
    CATEGORIES = "cats"
    CATEGORY = "cat"
    TOPIC = "t"
    DETAILS = "d"
    SOURCES = "s"
    RELATED = "r"
    SWITCH = "sw"  # switch the interface language and show the topic (or the prompt) again


class KbCb(CallbackData, prefix="kb"):
    action: KbAction
    value: str = ""
    page: int = 0
    lang: str = ""
