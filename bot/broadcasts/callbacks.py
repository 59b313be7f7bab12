"""Callback data of broadcast screens; staff actions are re-checked against the role on every press.

Every field is bounded: a forged, truncated or outdated button fails to unpack and gets the
"button expired" answer of the fallback router instead of reaching a handler (or the database).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

MAX_ID = 2**31 - 1  # ids are 32-bit integers in PostgreSQL


class BcAction(StrEnum):
    UNSUB = "unsub"
    FROM_EVENT = "fromevent"  # "notify subscribers" on an event (the events feature's staff screen)
    SAME = "same"
    NO_MEDIA = "nomedia"
    BUTTON_EVENTS = "btnevents"
    BUTTON_EVENT = "btnevent"
    BUTTON_LINK = "btnlink"
    NO_BUTTON = "nobutton"
    AUDIENCE = "aud"
    CITY = "city"
    KINDS = "kinds"
    EVENTS = "events"
    SEND = "send"
    SCHEDULE = "schedule"
    CANCEL = "cancel"
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"


class BcCb(CallbackData, prefix="bc"):
    action: BcAction
    value: Annotated[str, Field(max_length=40, pattern=r"^[a-z0-9_.]*$")] = ""
    id: Annotated[int, Field(ge=0, le=MAX_ID)] = 0
