"""The complaints feature: a consented intake with case numbers, an operators' queue in a Telegram
group, replies and statuses delivered back to the migrant through the outbox."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiogram import Router

    from bot.context import AppContext


def install(app: AppContext) -> list[Router]:
    """Set the feature up in the application (bot/complaints/feature.py). Imported here only when called, so
    that the CLI, the schema and the services of this package load without aiogram."""
    from bot.complaints.feature import install as install_feature

    return install_feature(app)
