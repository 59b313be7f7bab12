"""The feature's set-up: services, routers and scheduled jobs (see the package docstring)."""

from __future__ import annotations

import contextlib

from aiogram import Router
from aiogram.exceptions import TelegramAPIError

from bot.broadcasts import render
from bot.broadcasts.router import controls, create_router
from bot.broadcasts.service import BroadcastService
from bot.context import AppContext
from bot.outbox.repo import Outgoing


def install(app: AppContext) -> list[Router]:
    service = BroadcastService(app.db, app.outbox, app.users, app.clock)
    app.services["broadcasts"] = service

    async def report() -> None:
        """Every few seconds: advance life cycles and edit the staff member's progress message."""
        for item in await service.active():
            before = item.status
            item, figures = await service.tick(item)
            if item.progress_chat_id is None or item.progress_message_id is None:
                continue
            locale = "ru"
            author = await app.users.get(item.progress_chat_id)
            if author is not None and author.locale:
                locale = author.locale
            if item.status == "done" and before != "done":
                # A separate final report, so staff get a notification (edits are silent).
                report_text = render.final_report(app.t, locale, item, figures)
                await app.outbox.enqueue(
                    [
                        Outgoing(
                            chat_id=item.progress_chat_id,
                            payload={"text": report_text},
                            kind="broadcast_report",
                            priority=20,
                            dedupe_key=f"bcdone:{item.id}",
                            ref_type="broadcast_report",
                            ref_id=item.id,
                        )
                    ]
                )
                app.sender.wake()
            with contextlib.suppress(TelegramAPIError):  # "not modified", or the message is gone
                await app.bot.edit_message_text(
                    render.progress(app.t, locale, item, figures, app.clock.now()),
                    chat_id=item.progress_chat_id,
                    message_id=item.progress_message_id,
                    reply_markup=controls(app.t, locale, item),
                )

    app.services["broadcasts_report"] = report
    app.scheduler.add_job(
        report, "interval", seconds=5, id="broadcasts-progress", max_instances=1, coalesce=True
    )
    return [create_router()]
