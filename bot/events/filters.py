"""Filters shared by the events routers."""

from __future__ import annotations

from aiogram.types import Message


def not_command(message: Message) -> bool:
    """Forms take no command as content: "/complaint" typed at a form's step is a command, handled by
    its own router (a middleware suspends the unfinished form), never saved as a note or a title."""
    return not (message.text or message.caption or "").lstrip().startswith("/")
