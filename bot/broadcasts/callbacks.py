"""Callback data of broadcast screens; staff actions are re-checked against the role on every press."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class BcCb(CallbackData, prefix="bc"):
    action: str  # unsub | same | nomedia | aud | city | send | schedule | cancel | pause | resume | stop
    value: str = ""
    id: int = 0
