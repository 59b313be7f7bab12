"""Callback data of the complaint screens. Everything is re-checked on the server on every press:
the form step against the FSM state, case ids against ownership (migrants) or the operator role."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class IntakeCb(CallbackData, prefix="ci"):
    step: str  # country, category, skip, back, cancel, done, via, noname, agree, send, edit
    value: str = ""


class MineCb(CallbackData, prefix="cm"):
    action: str  # withdraw, add, bot
    case: int = 0


class OpCb(CallbackData, prefix="op"):
    action: str  # take, reply, ask, note, status, set, urgent
    case: int
    value: str = ""
