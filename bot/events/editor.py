"""Staff create and edit events inside the bot: a guided dialog, each answer checked as it comes, a
preview in both languages, then save. Saving goes through the same validation as the YAML importer
(`importer.validate`), so an event made in the bot is exactly as valid as one from a file.

The draft lives in the FSM storage (the database), so a half-made event survives a restart; nothing
reaches the events table before "Save".
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InaccessibleMessage,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.clock import Clock
from bot.config import Settings
from bot.events import importer, render
from bot.events.callbacks import EvCb
from bot.events.filters import not_command
from bot.events.models import KINDS, ORGANISERS, Event
from bot.events.repo import FIELDS, EventRepo
from bot.events.service import EventService
from bot.forms import register_form
from bot.i18n import Translator
from bot.links import is_https_link
from bot.menu.screens import show
from bot.outbox.sender import Sender
from bot.places import CITIES, CITY_BY_KEY

DATE_TIME = "%d.%m.%Y %H:%M"
MAX_CAPACITY = importer.MAX_CAPACITY

# The order of questions; some apply only to online or only to in-person events.
ORDER = (
    "kind",
    "organisers",
    "title_ky",
    "title_ru",
    "description_ky",
    "description_ru",
    "bring_ky",
    "bring_ru",
    "place",
    "zone",
    "address_ru",
    "address_ky",
    "map_url",
    "platform",
    "link",
    "link_public",
    "starts",
    "ends",
    "capacity",
    "registration",
)
ONLINE_ONLY = {"zone", "platform", "link", "link_public"}
BUTTON_STEPS = {"kind", "organisers", "place", "zone", "link_public", "registration"}
IN_PERSON_ONLY = {"address_ru", "address_ky", "map_url"}
OPTIONAL_STEPS = {"bring_ky", "bring_ru", "address_ky", "map_url"}  # a "None" button
GROUPS = {  # what "Edit" offers: a group of questions asked again
    "texts": ("title_ky", "title_ru", "description_ky", "description_ru", "bring_ky", "bring_ru"),
    "time": ("starts", "ends"),
    "place": ("place", "zone", "address_ru", "address_ky", "map_url", "platform", "link", "link_public"),
    "seats": ("capacity", "registration"),
    "kind": ("kind", "organisers"),
}
TEXT_LIMITS = {
    "title_ky": (importer.MAX_TITLE, True),
    "title_ru": (importer.MAX_TITLE, True),
    "description_ky": (importer.MAX_TEXT, True),
    "description_ru": (importer.MAX_TEXT, True),
    "bring_ky": (importer.MAX_TEXT, False),
    "bring_ru": (importer.MAX_TEXT, False),
    "address_ru": (importer.MAX_ADDRESS, True),
    "address_ky": (importer.MAX_ADDRESS, False),
    "platform": (64, True),
}


class Editing(StatesGroup):
    step = State()
    preview = State()


# A command typed inside this form puts it aside under this name (bot/forms.py).
register_form(Editing, name="form-name-event-editor")


def _b(text: str, action: str, kind: str = "", id: int = 0) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=EvCb(action=action, kind=kind, id=id).pack())


def applies(step: str, raw: dict[str, Any]) -> bool:
    if step in ONLINE_ONLY:
        return bool(raw.get("online"))
    if step in IN_PERSON_ONLY:
        return not raw.get("online")
    return True


def raw_from_event(event: Event) -> dict[str, Any]:
    """An event as the importer's YAML mapping, times in the event's own zone."""
    zone = ZoneInfo(event.timezone)
    return {
        "key": event.key,
        "kind": event.kind,
        "organisers": event.organisers.split(","),
        "title": {"ky": event.title_ky, "ru": event.title_ru},
        "description": {"ky": event.description_ky, "ru": event.description_ru},
        "bring": {"ky": event.bring_ky or "", "ru": event.bring_ru or ""},
        "timezone": event.timezone,
        "city": event.city,
        "address": {"ky": event.address_ky or "", "ru": event.address or ""},
        "map_url": event.map_url,
        "online": event.online,
        "platform": event.platform,
        "link": event.link,
        "link_public": event.link_public,
        "starts": event.starts_at.astimezone(zone).replace(tzinfo=None).isoformat(timespec="minutes"),
        "ends": event.ends_at.astimezone(zone).replace(tzinfo=None).isoformat(timespec="minutes"),
        "capacity": event.capacity,
        "registration": event.registration,
        "status": event.status,
    }


def draft_event(item: dict[str, Any]) -> Event:
    """A validated item as an unsaved Event, for the preview card."""
    return Event(**{**{field: item.get(field) for field in FIELDS}, "id": 0, "version": 0})


def parse_text_answer(
    step: str, text: str, raw: dict[str, Any], now: datetime
) -> tuple[Any, str | None, dict[str, Any]]:
    """(value, error message key, error arguments) for a typed answer."""
    text = text.strip()
    if step in TEXT_LIMITS:
        limit, required = TEXT_LIMITS[step]
        if required and not text:
            return None, "ev-ed-empty", {}
        if len(text) > limit:
            return None, "ev-ed-too-long", {"length": len(text), "max": limit}
        return text, None, {}
    if step in {"link", "map_url"}:
        return (text, None, {}) if is_https_link(text) else (None, "ev-ed-bad-link", {})
    if step == "capacity":
        if not (text.isascii() and text.isdigit() and len(text) <= 7) or not 0 < int(text) <= MAX_CAPACITY:
            return None, "ev-ed-bad-capacity", {"max": MAX_CAPACITY}
        return int(text), None, {}
    if step not in {"starts", "ends"} or not raw.get("timezone"):
        return None, "ev-ed-unexpected", {}
    zone = ZoneInfo(raw["timezone"])
    if step == "starts":
        try:
            moment = datetime.strptime(text, DATE_TIME).replace(tzinfo=zone)
        except ValueError:
            return None, "ev-ed-bad-datetime", {}
        if moment <= now:
            return None, "ev-ed-past", {}
        if moment > now + timedelta(days=730):
            return None, "ev-ed-too-far", {}
        return moment.replace(tzinfo=None).isoformat(timespec="minutes"), None, {}
    if not raw.get("starts"):  # step == "ends" before any start: cannot happen in order
        return None, "ev-ed-bad-end", {}
    starts = datetime.fromisoformat(raw["starts"])
    try:
        if len(text) <= 5:  # "HH:MM" on the same day
            clock = datetime.strptime(text, "%H:%M")
            moment = starts.replace(hour=clock.hour, minute=clock.minute)
        else:
            moment = datetime.strptime(text, DATE_TIME)
    except ValueError:
        return None, "ev-ed-bad-end", {}
    if moment <= starts:
        return None, "ev-ed-end-before", {}
    return moment.isoformat(timespec="minutes"), None, {}


def store(raw: dict[str, Any], step: str, value: Any) -> None:
    if "_" in step and step.rsplit("_", 1)[1] in {"ky", "ru"}:
        field, locale = step.rsplit("_", 1)
        if not isinstance(raw.get(field), dict):  # e.g. no address after "online"
            raw[field] = {}
        raw[field][locale] = value
    else:
        raw[step] = value


def create_router() -> Router:
    router = Router(name="events-editor")
    router.message.filter(F.chat.type == "private")
    router.callback_query.filter(F.message.chat.type == "private")

    async def ask(
        message: Message | InaccessibleMessage,
        state: FSMContext,
        t: Translator,
        locale: str,
        changes: dict[str, Any],
        redraw: CallbackQuery | None = None,
        fresh: bool = False,
    ) -> None:
        """Ask the next question in the queue, or show the preview when none is left. `changes` (to the
        draft) are stored only once the question is on screen. `redraw`: the same question again after a
        toggle, edited in place instead of sent anew. `fresh`: a new draft replaces any old one."""
        data = {**({} if fresh else await state.get_data()), **changes}
        raw, queue = data["raw"], list(data["queue"])
        while queue and not applies(queue[0], raw):
            queue.pop(0)
        data["queue"] = queue
        if not queue:
            await preview(message, state, t, locale, data, fresh=True)
            return
        step = queue[0]
        b = InlineKeyboardBuilder()
        if step == "kind":
            for kind in KINDS:
                b.row(_b(t(locale, f"ev-kind-{kind}"), "ed", kind))
        elif step == "organisers":
            chosen = set(raw.get("organisers") or [])
            for org in ORGANISERS:
                b.row(_b(("✅ " if org in chosen else "▫️ ") + t(locale, f"ev-org-{org}"), "ed", org))
            b.row(_b(t(locale, "ev-ed-btn-done"), "ed", "done"))
        elif step in {"place", "zone"}:  # a city gives the zone; "place" also offers "online"
            for city in CITIES:
                b.add(_b(t(locale, f"city-{city.key}"), "ed", city.key))
            b.adjust(3)
            if step == "place":
                b.row(_b(t(locale, "ev-place-online"), "ed", "online"))
        elif step in {"link_public", "registration"}:
            b.row(_b(t(locale, "ev-ed-btn-yes"), "ed", "yes"), _b(t(locale, "ev-ed-btn-no"), "ed", "no"))
        elif step in OPTIONAL_STEPS:
            b.row(_b(t(locale, "ev-ed-btn-none"), "ed", "none"))
        elif step == "capacity":
            b.row(_b(t(locale, "ev-ed-btn-unlimited"), "ed", "none"))
        b.row(_b(t(locale, "ev-ed-btn-abandon"), "edquit"))
        zone = raw.get("timezone")
        text = t(
            locale,
            f"ev-ed-ask-{step.replace('_', '-')}",
            zone=render.zone_label(t, locale, zone) if zone else "",
        )
        if redraw is not None:
            await show(redraw, text, b.as_markup())
        else:
            await message.answer(text, reply_markup=b.as_markup())
        await state.set_data(data)
        await state.set_state(Editing.step)

    async def advance(
        message: Message | InaccessibleMessage,
        state: FSMContext,
        t: Translator,
        locale: str,
        raw: dict[str, Any],
    ) -> None:
        data = await state.get_data()
        await ask(message, state, t, locale, {"raw": raw, "queue": list(data["queue"])[1:]})

    async def preview(
        message: Message | InaccessibleMessage,
        state: FSMContext,
        t: Translator,
        locale: str,
        changes: dict[str, Any],
        fresh: bool = False,
    ) -> None:
        data = {**({} if fresh else await state.get_data()), **changes}
        # Validated against the time the dialog started; saving checks again against the clock then.
        item, problems = importer.validate(data["raw"], datetime.fromisoformat(data["now"]))
        if item is None:
            b = InlineKeyboardBuilder()
            for group in GROUPS:
                b.row(_b(t(locale, f"ev-ed-group-{group}"), "edgroup", group))
            b.row(_b(t(locale, "ev-ed-btn-abandon"), "edquit"))
            await message.answer(
                t(locale, "ev-ed-invalid", problems="\n".join(problems)), reply_markup=b.as_markup()
            )
        else:
            event = draft_event(item)
            for preview_locale in ("ky", "ru"):
                title = t(locale, "ev-ed-preview", language=t(locale, f"lang-name-{preview_locale}"))
                card = render.card(t, preview_locale, event, event.capacity, None, link=True)
                await message.answer(f"{title}\n\n{card}")
            b = InlineKeyboardBuilder()
            b.row(_b(t(locale, "ev-ed-btn-save"), "edsave"))
            for pair in (("texts", "time"), ("place", "seats"), ("kind",)):
                b.row(*[_b(t(locale, f"ev-ed-group-{group}"), "edgroup", group) for group in pair])
            b.row(_b(t(locale, "ev-ed-btn-abandon"), "edquit"))
            await message.answer(t(locale, "ev-ed-confirm"), reply_markup=b.as_markup())
        await state.set_data(data)
        await state.set_state(Editing.preview)

    def allowed(settings: Settings, user_id: int | None) -> bool:
        return user_id is not None and settings.is_staff(user_id)

    @router.message(Command("event_new"))
    async def new_command(
        message: Message, state: FSMContext, t: Translator, locale: str, settings: Settings, clock: Clock
    ) -> None:
        if not allowed(settings, message.from_user.id if message.from_user else None):
            await message.answer(t(locale, "not-allowed"))
            return
        await start_new(message, state, t, locale, clock)

    @router.callback_query(EvCb.filter(F.action == "new"))
    async def new_button(
        query: CallbackQuery, state: FSMContext, t: Translator, locale: str, settings: Settings, clock: Clock
    ) -> None:
        if not allowed(settings, query.from_user.id):
            await query.answer(t(locale, "not-allowed"), show_alert=True)
            return
        if query.message is None:
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        await query.answer()
        await start_new(query.message, state, t, locale, clock)

    async def start_new(
        message: Message | InaccessibleMessage, state: FSMContext, t: Translator, locale: str, clock: Clock
    ) -> None:
        raw: dict[str, Any] = {
            "key": f"draft-{secrets.token_hex(4)}",  # replaced by a readable key when saved
            "organisers": [],
            "title": {},
            "description": {},
            "bring": {},
            "status": "scheduled",
        }
        await message.answer(t(locale, "ev-ed-intro"))
        draft = {"raw": raw, "queue": list(ORDER), "event_id": 0, "now": clock.now().isoformat()}
        await ask(message, state, t, locale, draft, fresh=True)  # replaces any unfinished draft

    @router.callback_query(EvCb.filter(F.action == "edit"))
    async def edit(
        query: CallbackQuery,
        callback_data: EvCb,
        state: FSMContext,
        t: Translator,
        locale: str,
        settings: Settings,
        events: EventRepo,
        clock: Clock,
    ) -> None:
        event = await events.get(callback_data.id)
        if not allowed(settings, query.from_user.id) or event is None or query.message is None:
            await query.answer(t(locale, "not-allowed" if event else "button-expired"), show_alert=True)
            return
        await query.answer()
        draft = {
            "raw": raw_from_event(event),
            "queue": [],
            "event_id": event.id,
            "now": clock.now().isoformat(),
        }
        await preview(query.message, state, t, locale, draft, fresh=True)

    @router.callback_query(EvCb.filter(F.action == "edgroup"), StateFilter(Editing.preview))
    async def edit_group(
        query: CallbackQuery, callback_data: EvCb, state: FSMContext, t: Translator, locale: str
    ) -> None:
        group = GROUPS.get(callback_data.kind)
        if group is None or query.message is None:
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        await query.answer()
        await ask(query.message, state, t, locale, {"queue": list(group)})

    @router.callback_query(EvCb.filter(F.action == "ed"), StateFilter(Editing.step))
    async def choice(
        query: CallbackQuery, callback_data: EvCb, state: FSMContext, t: Translator, locale: str
    ) -> None:
        data = await state.get_data()
        raw, step, value = data["raw"], (data["queue"] or [""])[0], callback_data.kind
        message = query.message
        if message is None:
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        if step == "kind" and value in KINDS:
            raw["kind"] = value
        elif step == "organisers" and value in ORGANISERS:
            chosen = list(raw.get("organisers") or [])
            raw["organisers"] = [o for o in chosen if o != value] if value in chosen else [*chosen, value]
            await query.answer()
            await ask(message, state, t, locale, {"raw": raw}, redraw=query)  # the same question, new ticks
            return
        elif step == "organisers" and value == "done":
            if not raw.get("organisers"):
                await query.answer(t(locale, "ev-ed-need-organiser"), show_alert=True)
                return
        elif step == "place" and value in CITY_BY_KEY:
            raw.update(
                online=False, city=value, timezone=CITY_BY_KEY[value].timezone, platform=None, link=None
            )
        elif step == "place" and value == "online":
            raw.update(online=True, city=None, address=None, map_url=None)
        elif step == "zone" and value in CITY_BY_KEY:
            raw["timezone"] = CITY_BY_KEY[value].timezone
        elif step in {"link_public", "registration"} and value in {"yes", "no"}:
            raw[step] = value == "yes"
        elif step in {*OPTIONAL_STEPS, "capacity"} and value == "none":
            store(raw, step, None)
        else:  # a button from an earlier question, or forged data
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        await query.answer()
        await advance(message, state, t, locale, raw)

    # Commands are never taken as answers: "/complaint" typed here goes to its own handler.
    @router.message(StateFilter(Editing.step), F.text, not_command)
    async def typed(message: Message, state: FSMContext, t: Translator, locale: str, clock: Clock) -> None:
        data = await state.get_data()
        raw, step = data["raw"], (data["queue"] or [""])[0]
        if step in BUTTON_STEPS:
            await message.answer(t(locale, "ev-ed-use-buttons"))
            return
        value, error, args = parse_text_answer(step, message.text or "", raw, clock.now())
        if error is not None:
            await message.answer(t(locale, error, **args))
            return
        store(raw, step, value)
        if (
            step == "starts"
            and raw.get("ends")
            and datetime.fromisoformat(raw["ends"]) <= datetime.fromisoformat(value)
        ):
            raw["ends"] = None  # the old end no longer fits: asked next anyway
        await advance(message, state, t, locale, raw)

    @router.message(StateFilter(Editing.step), not_command)
    async def not_text(message: Message, t: Translator, locale: str) -> None:
        await message.answer(t(locale, "ev-ed-need-text"))

    @router.message(StateFilter(Editing.preview), not_command)
    async def at_preview(message: Message, t: Translator, locale: str) -> None:
        await message.answer(t(locale, "ev-ed-use-buttons"))

    @router.callback_query(EvCb.filter(F.action == "edquit"), StateFilter(Editing))
    async def abandon(query: CallbackQuery, state: FSMContext, t: Translator, locale: str) -> None:
        await state.clear()
        await show(query, t(locale, "ev-ed-abandoned"))

    @router.callback_query(EvCb.filter(F.action == "edsave"), StateFilter(Editing.preview))
    async def save(
        query: CallbackQuery,
        state: FSMContext,
        t: Translator,
        locale: str,
        settings: Settings,
        events: EventRepo,
        event_service: EventService,
        sender: Sender,
        clock: Clock,
    ) -> None:
        if not allowed(settings, query.from_user.id):
            await query.answer(t(locale, "not-allowed"), show_alert=True)
            return
        data = await state.get_data()
        raw = dict(data["raw"])
        if not data.get("event_id"):
            starts = str(raw.get("starts", ""))[:10]
            raw["key"] = f"{raw.get('kind')}-{starts}-{raw.get('city') or 'online'}-{secrets.token_hex(2)}"
        item, problems = importer.validate(raw, clock.now())  # the clock of saving, not of starting
        if item is None:
            await query.answer()
            if query.message is not None:
                await query.message.answer(t(locale, "ev-ed-invalid", problems="\n".join(problems)))
            return
        await state.clear()  # a second tap on "Save" finds no draft
        changes = await events.upsert([item])
        notices = await event_service.announce_changes(changes)
        if notices:
            sender.wake()
        event, change = changes[0]
        await query.answer()
        await show(
            query,
            t(locale, f"ev-ed-saved-{change}", title=event.text("title", locale), count=notices),
            InlineKeyboardMarkup(
                inline_keyboard=[[_b(t(locale, "ev-ed-btn-open-admin"), "edit", id=event.id)]]
            ),
        )

    return router
