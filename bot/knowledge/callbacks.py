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
    NOW = "now"  # "this is happening to me now" on a topic near an emergency: its urgent card


# Bounds of the packed fields: anything else (forged, oversized) is a "button expired" answer.
MAX_VALUE = 64
MAX_PAGE = 100


class KbCb(CallbackData, prefix="kb"):
    action: KbAction
    value: str = ""
    page: int = 0
    lang: str = ""

    def in_bounds(self) -> bool:
        return len(self.value) <= MAX_VALUE and 0 <= self.page < MAX_PAGE and self.lang in ("", "ky", "ru")
