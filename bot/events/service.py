"""Notices and reminders for registrants, through the outbox (stored with a dedupe key, so never
twice; a reminder still queued when the event starts is dropped by the sender's before-send hook)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.events import render
from bot.events.models import UPCOMING, Event
from bot.events.repo import EventRepo
from bot.i18n import Translator
from bot.outbox.repo import OutboxItem, OutboxRepo, Outgoing
from bot.users.repo import User, UserRepo

REMINDER_PRIORITY, NOTICE_PRIORITY = 30, 25


class EventService:
    def __init__(
        self,
        repo: EventRepo,
        users: UserRepo,
        outbox: OutboxRepo,
        t: Translator,
        clock: Clock,
        hours: Sequence[float],
        notice_markup: Callable[[str, int], dict[str, Any]] | None = None,
    ) -> None:
        self._repo, self._users, self._outbox, self._t, self._clock = repo, users, outbox, t, clock
        self._notice_markup = notice_markup
        self._hours = sorted(hours, reverse=True)  # 24, 1

    def _message(
        self,
        user_id: int,
        user: User | None,
        key: str,
        dedupe: str,
        event: Event,
        priority: int,
        **extra: str,
    ) -> Outgoing:
        locale = user.locale if user and user.locale else "ru"
        zone = render.user_zone(user.city, user.timezone) if user else None
        zones = [event.timezone] + ([zone] if zone and zone != event.timezone else [])
        when = " / ".join(
            f"{render.when(event.starts_at, z, locale)} ({render.zone_label(self._t, locale, z)})"
            for z in zones
        )
        text = self._t(locale, key, title=event.text("title", locale), when=when, **extra)
        if key == "ev-reminder" and event.online and event.link and extra.get("last") == "1":
            text += "\n" + self._t(locale, "ev-reminder-link", link=event.link)
        payload: dict[str, Any] = {"text": text}
        if key == "ev-notice-new" and self._notice_markup is not None:
            payload["reply_markup"] = self._notice_markup(locale, event.id)
        return Outgoing(
            chat_id=user_id,
            payload=payload,
            kind="reminder" if key == "ev-reminder" else "event_notice",
            priority=priority,
            dedupe_key=dedupe,
            ref_type="event",
            ref_id=event.id,
        )

    async def remind(self) -> int:
        """Enqueue due reminders: for each registration only the latest hour mark that has passed (a bot
        that was down sends one reminder, not two), never once the event has started."""
        now = self._clock.now()
        items = []
        for event in await self._repo.upcoming(now):
            if event.starts_at <= now or event.status not in UPCOMING:
                continue
            due = [h for h in self._hours if now >= event.starts_at - timedelta(hours=h)]
            if not due:
                continue
            hours = min(due)
            last = "1" if hours == min(self._hours) else "0"
            registrations = await self._repo.registrants(event.id)
            people = await self._users.many([r.user_id for r in registrations])
            for registration in registrations:
                dedupe = f"rem:{registration.id}:{hours:g}h:v{event.version}"
                items.append(
                    self._message(
                        registration.user_id,
                        people.get(registration.user_id),
                        "ev-reminder",
                        dedupe,
                        event,
                        REMINDER_PRIORITY,
                        last=last,
                    )
                )
        return await self._outbox.enqueue(items) if items else 0

    async def announce_changes(self, changes: Sequence[tuple[Event, str]]) -> int:
        """Cancelled or rescheduled events: every registrant is told at once, in their language.
        New events: everyone subscribed to all events, to the event's kind or to its city (an online
        event reaches every city's subscribers)."""
        items = []
        now = self._clock.now()
        for event, change in changes:
            if change == "created" and event.status in UPCOMING and event.starts_at > now:
                subscribers = [user_id for user_id, _ in await self._repo.subscribers(event.notice_scopes())]
                people = await self._users.many(subscribers)
                for user_id in subscribers:
                    dedupe = f"evnew:{event.id}:{user_id}"
                    items.append(
                        self._message(
                            user_id, people.get(user_id), "ev-notice-new", dedupe, event, NOTICE_PRIORITY
                        )
                    )
                continue
            if change not in {"cancelled", "rescheduled"}:
                continue
            key = "ev-notice-cancelled" if change == "cancelled" else "ev-notice-rescheduled"
            registrations = await self._repo.registrants(event.id, ("confirmed", "waitlisted"))
            people = await self._users.many([r.user_id for r in registrations])
            for registration in registrations:
                dedupe = f"evn:{event.id}:v{event.version}:{registration.id}"
                user = people.get(registration.user_id)
                items.append(self._message(registration.user_id, user, key, dedupe, event, NOTICE_PRIORITY))
        return await self._outbox.enqueue(items) if items else 0

    async def cancel(self, event: Event, user_id: int) -> None:
        promoted = await self._repo.cancel(event.id, user_id)
        if promoted is not None:
            dedupe = f"evp:{promoted.id}:{event.version}"
            item = self._message(
                promoted.user_id,
                await self._users.get(promoted.user_id),
                "ev-promoted",
                dedupe,
                event,
                NOTICE_PRIORITY,
                reference=promoted.reference,
            )
            await self._outbox.enqueue([item])

    async def still_due(self, item: OutboxItem) -> OutboxItem | None:
        """Before a reminder goes out: drop it if the event started, was cancelled or moved since."""
        event = await self._repo.get(item.ref_id) if item.ref_id is not None else None
        if event is None or event.status not in UPCOMING or event.starts_at <= self._clock.now():
            return None
        if item.dedupe_key and not item.dedupe_key.endswith(f":v{event.version}"):
            return None
        return item

    def now(self) -> datetime:
        return self._clock.now()
