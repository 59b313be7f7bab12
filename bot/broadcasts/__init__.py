"""The broadcasts feature: staff notices to subscribers, each in their own language, through the
shared rate-limited outbox; progress edited in place; pause, resume, stop; the CLI in cli.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiogram import Router

    from bot.context import AppContext


def install(app: AppContext) -> list[Router]:
    """Set the feature up in the application (bot/broadcasts/feature.py). Imported here only when called, so
    that the CLI, the schema and the services of this package load without aiogram."""
    from bot.broadcasts.feature import install as install_feature

    return install_feature(app)
