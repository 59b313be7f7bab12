"""The complaints feature: a consented intake with case numbers, an operators' queue in a Telegram
group, replies and statuses delivered back to the migrant through the outbox."""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.exceptions import TelegramAPIError

from bot.complaints import intake, mine, operators
from bot.complaints.repo import ComplaintRepo
from bot.context import AppContext
from bot.outbox.repo import OutboxItem, Outgoing


def install(app: AppContext) -> list[Router]:
    repo = ComplaintRepo(app.db, app.outbox, app.clock)
    app.services["complaints"] = repo
    app.eraser.register(repo.erase_user)

    async def card_sent(item: OutboxItem, result: Any) -> None:
        # Remember the card's message id: operators reply to it to answer the migrant.
        if item.ref_id is not None and getattr(result, "message_id", None):
            await repo.set_card(item.ref_id, result.message_id)

    app.sender.on_sent("case_card", card_sent)

    async def alert_admins(key: str, dedupe: str, **args: Any) -> None:
        # One alert per admin per hour: an unreachable group is retried every few minutes.
        hour = app.clock.now().strftime("%Y%m%d%H")
        items = [
            Outgoing(
                chat_id=admin,
                payload={"text": app.t(app.settings.operators_locale, key, **args)},
                kind="admin_alert",
                priority=1,
                dedupe_key=f"alert:{dedupe}:{admin}:{hour}",
            )
            for admin in app.settings.admin_ids
        ]
        await app.outbox.enqueue(items)
        app.sender.wake()

    async def group_error(item: OutboxItem, exc: TelegramAPIError) -> None:
        await alert_admins("cp-admin-group-error", f"group:{item.chat_id}", error=exc.message[:100])

    async def group_migrated(old: int, new: int) -> None:
        await app.outbox.change_chat(old, new)  # queued cards follow the group to its new id
        await alert_admins("cp-admin-group-migrated", f"migrated:{old}", new_id=str(new))

    app.sender.on_group_error(group_error)
    app.sender.on_migrated(group_migrated)
    routers = [mine.create_router(), intake.create_router()]
    if app.settings.operators_chat_id is not None:
        routers.insert(0, operators.create_router(app.settings.operators_chat_id))
    return routers
