"""Callback data of event screens. Every field is bounded, so forged, oversized or stale data does not
match any handler and gets "this button has expired" (the fallback router); event ids are re-checked
against the database on every press."""

from __future__ import annotations

from typing import Annotated, Literal

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

# events.id is an INTEGER column (32-bit in PostgreSQL): a larger id cannot exist and must not reach SQL.
MAX_ID = 2**31 - 1
MAX_PAGE = 10_000

Action = Literal[
    # migrants: list, card, registration, calendar file, "my registrations", notices
    "list", "show", "reg", "unreg", "ics", "skip", "agree", "my", "subs", "sub",
    # staff: registrants CSV, cancel the event, create or edit (editor.py)
    "csv", "drop", "new", "edit", "edgroup", "ed", "edquit", "edsave",
]  # fmt: skip


class EvCb(CallbackData, prefix="ev"):
    action: Action
    id: Annotated[int, Field(ge=0, le=MAX_ID)] = 0
    # an event kind; for "sub" a scope with "." instead of ":" (all, kind.x, city.y); in the editor a choice
    kind: Annotated[str, Field(max_length=40)] = ""
    page: Annotated[int, Field(ge=0, le=MAX_PAGE)] = 0
    place: Literal["", "ru", "kz", "kg", "online"] = ""  # list filter
