"""Callback data of the foundation's screens. Unknown or forged data fails to unpack and reaches the
'button expired' fallback instead of any handler."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


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
    code: str


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
    value: str = ""


class ComplainCb(CallbackData, prefix="cstart"):
    """Start a complaint from anywhere (a topic card, an urgent card). Handled by the complaints feature."""

    urgent: bool = False
    category: str = ""  # a complaint category id, or empty to ask
    topic: str = ""  # the knowledge-base topic the person came from, for context
