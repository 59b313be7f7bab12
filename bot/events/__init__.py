"""The events feature: joint receptions and webinars, registration with waitlist, reminders, .ics.

Events come from YAML files (`python -m bot events import FILE`) or from staff in the bot
(/event_new, /events_admin → edit); both go through the same validation (`importer.validate`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiogram import Router

    from bot.context import AppContext


def install(app: AppContext) -> list[Router]:
    """Set the feature up in the application (bot/events/feature.py). Imported here only when called, so
    that the CLI, the schema and the services of this package load without aiogram."""
    from bot.events.feature import install as install_feature

    return install_feature(app)
