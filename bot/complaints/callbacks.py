"""Callback data of the complaint screens. Everything is re-checked on the server on every press:
the form step against the FSM state, case ids against ownership (migrants) or the operator role.

Fields are validated when a button is unpacked: an unknown action, a number out of range or odd
characters make the filter fail, and the feature's catch-all answers "this button has expired"."""

from __future__ import annotations

from typing import Literal

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.complaints.models import MAX_ID

_WORD = r"^[a-z0-9]*$"


class IntakeCb(CallbackData, prefix="ci"):
    step: Literal[
        "country", "category", "skip", "back", "cancel", "done", "via", "noname", "agree", "send", "edit"
    ]
    value: str = Field(default="", max_length=16, pattern=_WORD)


class MineCb(CallbackData, prefix="cm"):
    action: Literal["withdraw", "add", "bot"]
    case: int = Field(default=0, ge=0, le=MAX_ID)  # 0 only for "bot"


class OpCb(CallbackData, prefix="op"):
    action: Literal[
        "take",
        "reply",
        "ask",
        "note",
        "status",
        "set",
        "transfer",
        "move",
        "urgent",
        "reopen",
        "send",  # the preview of an operator's text: send / edit / cancel
        "edit",
        "cancel",
    ]
    case: int = Field(ge=1, le=MAX_ID)
    value: str = Field(default="", max_length=16, pattern=_WORD)
