"""Staff screens for events: counts per event, registrants as CSV (only what organisers need:
reference, status, language, note, time), cancelling an event with notices to its registrants, and the
entry points to creating/editing (editor.py) and to a notice drafted from the event (broadcasts)."""

from __future__ import annotations

import csv
import io

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardButton, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy import select

from bot.broadcasts.callbacks import BcCb
from bot.clock import Clock
from bot.config import Settings
from bot.csvsafe import cell
from bot.events import render
from bot.events.callbacks import EvCb
from bot.events.repo import EventRepo
from bot.events.service import EventService
from bot.events.tables import registrations
from bot.i18n import Translator
from bot.outbox.sender import Sender
from bot.storage.database import Database
from bot.storage.tables import users


async def registrants_csv(db: Database, event_id: int) -> bytes:
    query = (
        select(
            registrations.c.reference,
            registrations.c.status,
            users.c.locale,
            registrations.c.note,
            registrations.c.created_at,
        )
        .outerjoin(users, users.c.id == registrations.c.user_id)
        .where(registrations.c.event_id == event_id)
        .order_by(registrations.c.id)
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["reference", "status", "language", "note", "registered_at"])
    async with db.connection() as conn:
        for row in await conn.execute(query):
            # The note is typed by the migrant: never a formula when the file is opened in a spreadsheet.
            writer.writerow(
                [
                    cell(value)
                    for value in (row.reference, row.status, row.locale, row.note, row.created_at.isoformat())
                ]
            )
    return out.getvalue().encode("utf-8-sig")


def create_router() -> Router:
    router = Router(name="events-staff")
    router.message.filter(F.chat.type == "private")
    router.callback_query.filter(F.message.chat.type == "private")

    @router.message(Command("events_admin"))
    async def overview(
        message: Message, t: Translator, locale: str, settings: Settings, events: EventRepo, clock: Clock
    ) -> None:
        if message.from_user is None or not settings.is_staff(message.from_user.id):
            await message.answer(t(locale, "not-allowed"))
            return
        items = await events.upcoming(clock.now())
        new = _b(t(locale, "ev-btn-new-event"), "new", 0)
        if not items:
            await message.answer(
                t(locale, "ev-admin-empty"), reply_markup=InlineKeyboardBuilder().row(new).as_markup()
            )
            return
        lines, b = [], InlineKeyboardBuilder()
        for item in items:
            counts = await events.counts(item.id)
            when = render.when(item.starts_at, item.timezone, locale)
            capacity = t(locale, "ev-admin-capacity", capacity=item.capacity) if item.capacity else ""
            lines.append(
                t(
                    locale,
                    "ev-admin-line",
                    when=when,
                    title=item.text("title", locale),
                    confirmed=counts.get("confirmed", 0),
                    waitlisted=counts.get("waitlisted", 0),
                    capacity=capacity,
                )
            )
            b.row(_b(render.short(f"{when} · {item.text('title', locale)}", 60), "edit", item.id))
            b.row(
                _b(t(locale, "ev-btn-csv"), "csv", item.id),
                InlineKeyboardButton(
                    text=t(locale, "ev-btn-notify"), callback_data=BcCb(action="fromevent", id=item.id).pack()
                ),
                _b(t(locale, "ev-btn-cancel-event"), "drop", item.id),
            )
        b.row(new)
        await message.answer(
            t(locale, "ev-admin-title") + "\n" + "\n".join(lines), reply_markup=b.as_markup()
        )

    @router.callback_query(EvCb.filter(F.action.in_({"csv", "drop"})))
    async def act(
        query: CallbackQuery,
        callback_data: EvCb,
        t: Translator,
        locale: str,
        settings: Settings,
        events: EventRepo,
        event_service: EventService,
        db: Database,
        sender: Sender,
    ) -> None:
        item = await events.get(callback_data.id)
        message = query.message  # may be old or deleted (InaccessibleMessage): answers are new messages
        if not settings.is_staff(query.from_user.id) or item is None or message is None:
            await query.answer(t(locale, "not-allowed" if item else "button-expired"), show_alert=True)
            return
        await query.answer()
        if callback_data.action == "csv":
            data = await registrants_csv(db, item.id)
            caption = t(locale, "ev-admin-csv-caption", title=item.text("title", locale))
            await message.answer_document(
                BufferedInputFile(data, filename=f"{item.key}.csv"), caption=caption
            )
            return
        changes = await events.set_status(item.id, "cancelled")
        count = await event_service.announce_changes(changes)
        sender.wake()
        await message.answer(t(locale, "ev-admin-cancelled", title=item.text("title", locale), count=count))

    return router


def _b(text: str, action: str, id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=EvCb(action=action, id=id).pack())
