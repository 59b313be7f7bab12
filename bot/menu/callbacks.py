"""Callback data of the foundation's screens. Unknown or forged data fails to unpack and reaches the
'button expired' fallback instead of any handler."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

# Bounded strings: anything longer or stranger than a real button carries fails to unpack.
Key = Annotated[str, Field(max_length=40, pattern=r"^[A-Za-z0-9_.\-]*$")]


class Area(StrEnum):
    HOME = "home"
    ASK = "ask"
    TOPICS = "topics"
    EVENTS = "events"
    COMPLAIN = "complain"
    MY_COMPLAINTS = "my"
    SETTINGS = "settings"
    ABOUT = "about"


class MenuCb(CallbackData, prefix="m"):
    area: Area


class LangCb(CallbackData, prefix="lang"):
    code: Key


class SettingsAction(StrEnum):
    LANGUAGE = "lang"
    NOTIFY = "notify"
    CITY = "city"
    SET_CITY = "setcity"
    FORGET = "forget"
    EVENT_NOTICES = "evsubs"  # handled by the events feature
    FORGET_YES = "forget_yes"


class SettingsCb(CallbackData, prefix="set"):
    action: SettingsAction
    value: Key = ""


class ComplainCb(CallbackData, prefix="cstart"):
    """Start a complaint from anywhere (a topic card, an urgent card). Handled by the complaints feature."""

    urgent: bool = False
    category: Key = ""  # a complaint category id, or empty to ask
    topic: Key = ""  # the knowledge-base topic the person came from, for context
