"""The feature's set-up: services, routers and scheduled jobs (see the package docstring)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from typing import Any

from aiogram import Router
from aiogram.exceptions import TelegramAPIError

from bot.complaints import intake, keyboards, mine, notices, operators, render
from bot.complaints.cards import CaseBoard
from bot.complaints.repo import ComplaintRepo
from bot.context import AppContext
from bot.outbox.repo import OutboxItem, Outgoing

log = logging.getLogger(__name__)


def install(app: AppContext) -> list[Router]:
    repo = ComplaintRepo(app.db, app.outbox, app.clock)
    locale = app.settings.operators_locale
    board = CaseBoard(app.bot, app.t, locale, app.settings.operators_chat_id, repo, app.clock)
    app.services["complaints"] = repo
    app.services["complaint_board"] = board

    async def erase(user_id: int) -> int:
        person = await app.users.get(user_id)
        cases = await repo.erase_user(user_id)
        left = 0
        cleanup: list[Outgoing] = []
        for case in cases:
            missed = await board.redact(case)
            if missed:
                await repo.record_leftovers(case.id, missed)
                left += len(missed)
                cleanup += notices.cleanup(app.t, locale, app.settings.operators_chat_id, case, missed)
        if cleanup and await app.outbox.enqueue(cleanup):  # operators delete by hand what the bot could not
            app.sender.wake()
        if left:  # honest: what is still visible to operators, and why
            text = app.t(
                (person.locale if person else None) or app.settings.default_locale,
                "cp-forget-left",
                count=left,
            )
            try:
                await app.bot.send_message(user_id, text)
            except TelegramAPIError:
                log.warning("complaints: could not tell a person what /forget left behind")
        return left

    app.eraser.register(erase)

    # Remember what was posted about each case: cards are redrawn after every change and operators
    # reply to them; files and follow-ups are removed again on /forget.
    async def posted(item: OutboxItem, result: Any) -> None:
        message_id = getattr(result, "message_id", None)
        if item.ref_id is None or not message_id:
            return
        if item.kind == "case_card":
            await repo.set_card(item.ref_id, message_id, item.chat_id)
        else:
            await repo.add_post(item.ref_id, item.chat_id, message_id, item.kind.removeprefix("case_"))

    for kind in ("case_card", "case_file", "case_followup"):
        app.sender.on_sent(kind, posted)

    async def alert_admins(key: str, dedupe: str, **args: Any) -> None:
        # One alert per admin per hour: an unreachable group is retried every few minutes.
        hour = app.clock.now().strftime("%Y%m%d%H")
        items = [
            Outgoing(
                chat_id=admin,
                payload={"text": app.t(locale, key, **args)},
                kind="admin_alert",
                priority=1,
                dedupe_key=f"alert:{dedupe}:{admin}:{hour}",
            )
            for admin in app.settings.admin_ids
        ]
        await app.outbox.enqueue(items)
        app.sender.wake()

    async def group_error(item: OutboxItem, exc: TelegramAPIError) -> bool:
        if item.ref_type == "complaint" and item.ref_id is not None and "thread not found" in exc.message:
            # Someone deleted the case's topic: forget it, the retry creates a new one.
            await repo.set_thread(item.ref_id, None)
            return True
        await alert_admins("cp-admin-group-error", f"group:{item.chat_id}", error=exc.message[:100])
        return False

    forums: dict[int, bool] = {}

    async def is_forum(chat_id: int) -> bool:
        if chat_id not in forums:
            try:
                forums[chat_id] = bool((await app.bot.get_chat(chat_id)).is_forum)
            except Exception:  # unreachable or unexpected answer: post without topics, ask again later
                log.warning("complaints: could not tell whether the operators' chat has topics")
                return False
        return forums[chat_id]

    async def in_thread(item: OutboxItem) -> OutboxItem | None:
        """Cases live in their own topic when the operators' group has topics enabled. A card is
        drawn from the case as it is now (its status may have changed, /forget may have erased it)."""
        case = await repo.get(item.ref_id) if item.ref_id is not None else None
        if case is not None and item.kind == "case_card":
            payload = {
                **item.payload,
                "text": render.card(app.t, locale, case, app.clock.now()),
                "reply_markup": keyboards.card(app.t, locale, case).model_dump(exclude_none=True),
            }
            item = replace(item, payload=payload)
        if case is not None and case.erased and item.kind in ("case_file", "case_followup"):
            return None
        if case is None or not await is_forum(item.chat_id):
            return item
        thread = case.thread_id
        if thread is None:  # first message of the case, or its topic was deleted
            name = f"№ {case.number} · {app.t(locale, f'cp-category-{case.category}')}"
            try:
                topic = await app.bot.create_forum_topic(item.chat_id, name=keyboards.label(name, 128))
            except Exception:  # no right to manage topics: the card goes to the general chat
                log.warning("complaints: could not create a topic for case %s", case.id)
                return item
            thread = topic.message_thread_id
            await repo.set_thread(case.id, thread)
        return replace(item, payload={**item.payload, "message_thread_id": thread})

    for kind in ("case_card", "case_file", "case_followup", "case_reannounce", "case_cleanup"):
        app.sender.before_send(kind, in_thread)

    async def group_migrated(old: int, new: int) -> None:
        await app.outbox.change_chat(old, new)  # queued cards follow the group to its new id
        await alert_admins("cp-admin-group-migrated", f"migrated:{old}", new_id=str(new))

    app.sender.on_group_error(group_error)
    app.sender.on_migrated(group_migrated)

    async def reannounce() -> None:
        chat = app.settings.operators_chat_id
        if chat is None:
            return
        now = app.clock.now()
        urgent_after = timedelta(minutes=app.settings.urgent_take_minutes)
        normal_after = timedelta(hours=app.settings.normal_take_hours)
        items = []
        for case in await repo.untaken_since(now - urgent_after, now - normal_after):
            period = urgent_after if case.urgent else normal_after
            n = int((now - case.created_at) / period)  # once per period: the dedupe key says which
            urgent = app.t(locale, "cp-op-reannounce-urgent") if case.urgent else ""
            items.append(
                Outgoing(
                    chat_id=chat,
                    payload={
                        "text": app.t(locale, "cp-op-reannounce", number=case.number, urgent=urgent),
                        "reply_markup": keyboards.card(app.t, locale, case).model_dump(exclude_none=True),
                    },
                    kind="case_reannounce",
                    priority=5 if case.urgent else 60,
                    dedupe_key=f"case:{case.id}:again:{n}",
                    ref_type="complaint",
                    ref_id=case.id,
                )
            )
        if items and await app.outbox.enqueue(items):
            app.sender.wake()

    async def purge() -> None:
        await repo.purge_files(app.clock.now() - timedelta(days=app.settings.attachments_retention_days))

    app.scheduler.add_job(
        reannounce, "interval", minutes=1, id="complaints-reannounce", max_instances=1, coalesce=True
    )
    app.scheduler.add_job(
        purge, "interval", hours=24, id="complaints-retention", max_instances=1, coalesce=True
    )
    app.services["complaints_reannounce"] = reannounce
    routers = [mine.create_router(), intake.create_router()]
    if app.settings.operators_chat_id is not None:
        routers.insert(0, operators.create_router(app.settings.operators_chat_id))
    return routers
