"""The complaints feature: a consented intake with case numbers, an operators' queue in a Telegram
group, replies and statuses delivered back to the migrant through the outbox."""

from __future__ import annotations

from typing import Any

from aiogram import Router

from bot.complaints import intake, mine, operators
from bot.complaints.repo import ComplaintRepo
from bot.context import AppContext
from bot.outbox.repo import OutboxItem


def install(app: AppContext) -> list[Router]:
    repo = ComplaintRepo(app.db, app.outbox, app.clock)
    app.services["complaints"] = repo
    app.eraser.register(repo.erase_user)

    async def card_sent(item: OutboxItem, result: Any) -> None:
        # Remember the card's message id: operators reply to it to answer the migrant.
        if item.ref_id is not None and getattr(result, "message_id", None):
            await repo.set_card(item.ref_id, result.message_id)

    app.sender.on_sent("case_card", card_sent)
    routers = [mine.create_router(), intake.create_router()]
    if app.settings.operators_chat_id is not None:
        routers.insert(0, operators.create_router(app.settings.operators_chat_id))
    return routers
