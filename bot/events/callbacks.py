"""Callback data of event screens; event ids are re-checked against the database on every press."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class EvCb(CallbackData, prefix="ev"):
    action: str  # list | show | reg | unreg | ics | skip | agree | my | subs | sub | staff actions
    id: int = 0
    kind: str = ""  # an event kind; for "sub" a scope with "." instead of ":" (all, kind.x, city.y)
    page: int = 0
    place: str = ""  # list filter: ru | kz | kg | online
