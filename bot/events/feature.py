"""The feature's set-up: services, routers and scheduled jobs (see the package docstring)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import partial

from aiogram import Router

from bot.context import AppContext
from bot.events import editor, keyboards, staff
from bot.events.repo import EventRepo
from bot.events.router import create_router
from bot.events.service import EventService

log = logging.getLogger(__name__)


def install(app: AppContext) -> list[Router]:
    repo = EventRepo(app.db, app.clock)
    service = EventService(
        repo,
        app.users,
        app.outbox,
        app.t,
        app.clock,
        app.settings.reminder_hours,
        notice_markup=partial(keyboards.notice_markup, app.t),
    )
    app.services["events"] = repo
    app.services["event_service"] = service
    app.eraser.register(repo.erase_user)
    app.sender.before_send("reminder", service.still_due)

    async def remind() -> None:
        queued = await service.remind()
        log.debug("events: reminder check, %d queued", queued)
        if queued:
            app.sender.wake()

    app.services["events_remind"] = remind
    # First run at start-up: a bot that was down catches up on due reminders at once.
    app.scheduler.add_job(
        remind,
        "interval",
        seconds=30,
        id="events-reminders",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    return [staff.create_router(), editor.create_router(), create_router()]
