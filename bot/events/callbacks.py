"""Callback data of event screens; event ids are re-checked against the database on every press."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class EvCb(CallbackData, prefix="ev"):
    action: str  # list | show | reg | unreg | ics | skip | agree | my
    id: int = 0
    kind: str = ""
    page: int = 0
