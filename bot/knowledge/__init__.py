"""The knowledge feature: sourced answers in Kyrgyz and Russian, topic menus, urgent cards.

`install(app)` loads data/knowledge (or KNOWLEDGE_DIR) once; a broken knowledge base stops the bot at
start-up with the list of problems, like bad configuration does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiogram import Router

    from bot.context import AppContext


def install(app: AppContext) -> list[Router]:
    """Set the feature up in the application (bot/knowledge/feature.py). Imported here only when called, so
    that the CLI, the schema and the services of this package load without aiogram."""
    from bot.knowledge.feature import install as install_feature

    return install_feature(app)
