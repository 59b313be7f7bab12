"""Events for migrants: list (filter by kind, paginated), card, registration with consent and an
optional note for receptions, waitlist, cancel, calendar file, "my registrations"."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.clock import Clock
from bot.events import render
from bot.events.calendar import ics
from bot.events.callbacks import EvCb
from bot.events.filters import not_command
from bot.events.models import (
    CONSENT_VERSION,
    KINDS,
    MAX_NOTE,
    RECEPTIONS,
    UPCOMING,
    Event,
    subscription_scopes,
)
from bot.events.repo import EventRepo
from bot.events.service import EventService
from bot.forms import Resumed, register_form
from bot.i18n import Translator
from bot.menu.callbacks import Area, MenuCb, SettingsAction, SettingsCb
from bot.menu.keyboards import home_button
from bot.menu.screens import show
from bot.outbox.sender import Sender
from bot.places import CITIES, CITY_BY_KEY
from bot.users.repo import User

PAGE = 5


class Registering(StatesGroup):
    note = State()
    consent = State()


PLACES = ("ru", "kz", "kg", "online")


def _b(
    text: str, action: str, id: int = 0, kind: str = "", page: int = 0, place: str = ""
) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=EvCb(action=action, id=id, kind=kind, page=page, place=place).pack()
    )


async def _prompt(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    text: str,
    button: InlineKeyboardButton,
    step: State,
    event_id: int,
) -> None:
    """A registration question with its one button; the form's state is set once it is on screen."""
    await bot.send_message(chat_id, text, reply_markup=InlineKeyboardMarkup(inline_keyboard=[[button]]))
    await state.update_data(event=event_id)
    await state.set_state(step)


async def ask_note(
    bot: Bot, chat_id: int, state: FSMContext, t: Translator, locale: str, event_id: int
) -> None:
    """The optional note for a reception."""
    skip = _b(t(locale, "ev-btn-skip"), "skip", event_id)
    await _prompt(
        bot, chat_id, state, t(locale, "ev-ask-note", max=MAX_NOTE), skip, Registering.note, event_id
    )


async def ask_consent(
    bot: Bot, chat_id: int, state: FSMContext, t: Translator, locale: str, event_id: int
) -> None:
    agree = _b(t(locale, "ev-btn-agree"), "agree", event_id)
    text = t(locale, "ev-consent", version=CONSENT_VERSION)
    await _prompt(bot, chat_id, state, text, agree, Registering.consent, event_id)


async def _resume(resumed: Resumed) -> None:
    """ "Continue" after a command: ask the registration's own question again (note or consent)."""
    t: Translator = resumed.context["t"]
    locale: str = resumed.context["locale"]
    bot = resumed.query.bot
    event_id = (await resumed.state.get_data()).get("event")
    if bot is None or not isinstance(event_id, int):  # a form left from an older version
        await resumed.state.clear()
        return
    ask = ask_note if resumed.step.split(":")[-1] == "note" else ask_consent
    await ask(bot, resumed.chat_id, resumed.state, t, locale, event_id)


# A command typed inside this form puts it aside under this name (bot/forms.py).
register_form(Registering, name="form-name-event-registration", resume=_resume)


def _in_place(event: Event, place: str) -> bool:
    if not place:
        return True
    if place == "online":
        return event.online
    city = CITY_BY_KEY.get(event.city or "")
    return not event.online and city is not None and city.country == place


def create_router() -> Router:
    router = Router(name="events")
    router.message.filter(F.chat.type == "private")
    router.callback_query.filter(F.message.chat.type == "private")

    async def listing(
        event: Message | CallbackQuery,
        t: Translator,
        locale: str,
        repo: EventRepo,
        clock: Clock,
        kind: str,
        page: int,
        place: str = "",
    ) -> None:
        items = [item for item in await repo.upcoming(clock.now(), kind or None) if _in_place(item, place)]
        b = InlineKeyboardBuilder()
        for item in items[page * PAGE : (page + 1) * PAGE]:
            label = f"{render.when(item.starts_at, item.timezone, locale)} · {item.text('title', locale)}"
            b.row(_b(render.short(label, 60), "show", item.id))
        nav = []
        if page > 0:
            nav.append(_b("◀️", "list", kind=kind, page=page - 1, place=place))
        if (page + 1) * PAGE < len(items):
            nav.append(_b("▶️", "list", kind=kind, page=page + 1, place=place))
        if nav:
            b.row(*nav)

        def mark(selected: bool, label: str) -> str:
            return f"• {label}" if selected else label

        b.row(
            *[
                _b(render.short(mark(kind == k, t(locale, f"ev-kind-{k}")), 20), "list", kind=k, place=place)
                for k in KINDS[:2]
            ]
        )
        b.row(
            *[
                _b(render.short(mark(kind == k, t(locale, f"ev-kind-{k}")), 20), "list", kind=k, place=place)
                for k in KINDS[2:]
            ],
            _b(mark(not kind, t(locale, "ev-kind-all")), "list", place=place),
        )
        b.row(
            *[_b(mark(place == p, t(locale, f"ev-place-{p}")), "list", kind=kind, place=p) for p in PLACES],
            _b(mark(not place, t(locale, "ev-place-any")), "list", kind=kind),
        )
        b.row(_b(t(locale, "ev-btn-my"), "my"), _b(t(locale, "ev-btn-subscriptions"), "subs"))
        b.row(home_button(t, locale))
        text = t(locale, "ev-list-title") if items else t(locale, "ev-list-empty")
        await show(event, text, b.as_markup())

    @router.message(Command("events"))
    async def command(message: Message, t: Translator, locale: str, events: EventRepo, clock: Clock) -> None:
        await listing(message, t, locale, events, clock, "", 0)

    @router.callback_query(MenuCb.filter(F.area == Area.EVENTS))
    async def area(query: CallbackQuery, t: Translator, locale: str, events: EventRepo, clock: Clock) -> None:
        await listing(query, t, locale, events, clock, "", 0)

    @router.callback_query(EvCb.filter(F.action == "list"))
    async def filtered(
        query: CallbackQuery, callback_data: EvCb, t: Translator, locale: str, events: EventRepo, clock: Clock
    ) -> None:
        kind = callback_data.kind if callback_data.kind in KINDS else ""
        place = callback_data.place if callback_data.place in PLACES else ""
        await listing(query, t, locale, events, clock, kind, max(0, callback_data.page), place)

    async def subscriptions_screen(
        query: CallbackQuery, t: Translator, locale: str, repo: EventRepo, user: User
    ) -> None:
        mine = await repo.subscriptions(user.id)

        def toggle(scope: str, label: str) -> InlineKeyboardButton:
            return _b(("✅ " if scope in mine else "▫️ ") + label, "sub", kind=scope.replace(":", ".", 1))

        b = InlineKeyboardBuilder()
        b.row(toggle("all", t(locale, "ev-subs-all")))
        for pair in (KINDS[:2], KINDS[2:]):
            b.row(*[toggle(f"kind:{k}", t(locale, f"ev-kind-{k}")) for k in pair])
        cities = [toggle(f"city:{c.key}", t(locale, f"city-{c.key}")) for c in CITIES]
        for start in range(0, len(cities), 3):
            b.row(*cities[start : start + 3])
        b.row(_b(t(locale, "ev-btn-back"), "list"), home_button(t, locale))
        text = t(locale, "ev-subs-title")
        if not user.subscribed:
            text += "\n\n" + t(locale, "ev-subs-muted")
        await show(query, text, b.as_markup())

    @router.callback_query(EvCb.filter(F.action == "subs"))
    @router.callback_query(SettingsCb.filter(F.action == SettingsAction.EVENT_NOTICES))
    async def subscriptions(
        query: CallbackQuery, t: Translator, locale: str, events: EventRepo, user: User | None
    ) -> None:
        if user is None:
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        await query.answer()
        await subscriptions_screen(query, t, locale, events, user)

    @router.callback_query(EvCb.filter(F.action == "sub"))
    async def subscribe(
        query: CallbackQuery,
        callback_data: EvCb,
        t: Translator,
        locale: str,
        events: EventRepo,
        user: User | None,
    ) -> None:
        scope = callback_data.kind.replace(".", ":", 1)
        if user is None or scope not in subscription_scopes():  # else forged or stale
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        now_on = await events.toggle_subscription(user.id, scope)
        await query.answer(t(locale, "ev-subs-on" if now_on else "ev-subs-off"))
        await subscriptions_screen(query, t, locale, events, user)

    async def show_card(
        query: CallbackQuery, t: Translator, locale: str, repo: EventRepo, item: Event, user: User | None
    ) -> None:
        counts = await repo.counts(item.id)
        free = None if item.capacity is None else item.capacity - counts.get("confirmed", 0)
        mine = await repo.registration(item.id, user.id) if user else None
        registered = mine is not None and mine.status != "cancelled"
        zone = render.user_zone(user.city, user.timezone) if user else None
        text = render.card(t, locale, item, free, zone, link=item.link_public)
        b = InlineKeyboardBuilder()
        if item.status in UPCOMING and item.registration:
            if registered:
                b.row(_b(t(locale, "ev-btn-cancel-registration"), "unreg", item.id))
            else:
                b.row(_b(t(locale, "ev-btn-register"), "reg", item.id))
        b.row(_b(t(locale, "ev-btn-calendar"), "ics", item.id))
        b.row(_b(t(locale, "ev-btn-back"), "list"), home_button(t, locale))
        await show(query, text, b.as_markup())

    @router.callback_query(EvCb.filter(F.action.in_({"show", "reg", "unreg", "ics"})))
    async def on_event(
        query: CallbackQuery,
        callback_data: EvCb,
        state: FSMContext,
        t: Translator,
        locale: str,
        events: EventRepo,
        event_service: EventService,
        user: User | None,
        clock: Clock,
        sender: Sender,
        bot: Bot,
    ) -> None:
        item = await events.get(callback_data.id)
        message = query.message
        if item is None or user is None or message is None:
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        action = callback_data.action
        if action == "show":
            await show_card(query, t, locale, events, item, user)
        elif action == "ics":
            await query.answer()
            document = BufferedInputFile(ics(item, locale, clock.now()), filename=f"{item.key}.ics")
            await message.answer_document(document)  # a new message: works on old or deleted ones too
        elif action == "unreg":
            await event_service.cancel(item, user.id)
            sender.wake()
            await query.answer(t(locale, "ev-cancelled-registration"), show_alert=True)
            await show_card(query, t, locale, events, item, user)
        elif action == "reg":
            if item.status not in UPCOMING or not item.registration or item.starts_at <= clock.now():
                await query.answer(t(locale, "button-expired"), show_alert=True)
                return
            mine = await events.registration(item.id, user.id)
            if mine is not None and mine.status != "cancelled":
                await query.answer(t(locale, "ev-already", reference=mine.reference), show_alert=True)
                return
            await query.answer()
            # Each prompt is a new message (the pressed one may be old or deleted), and the form's
            # state is set only once the prompt is on screen.
            await state.set_data({})
            ask = ask_note if item.kind in RECEPTIONS else ask_consent
            await ask(bot, message.chat.id, state, t, locale, item.id)

    # Commands are never form content: "/complaint" typed here goes to its own handler.
    @router.message(StateFilter(Registering.note), F.text, not_command)
    async def note(message: Message, state: FSMContext, t: Translator, locale: str, bot: Bot) -> None:
        text = (message.text or "").strip()
        if len(text) > MAX_NOTE:
            await message.answer(t(locale, "ev-note-too-long", length=len(text), max=MAX_NOTE))
            return
        await state.update_data(note=text)
        event_id = (await state.get_data()).get("event")
        if not isinstance(event_id, int):
            await state.clear()
            await message.answer(t(locale, "button-expired"))
            return
        await ask_consent(bot, message.chat.id, state, t, locale, event_id)

    @router.callback_query(EvCb.filter(F.action == "skip"), StateFilter(Registering.note))
    async def skip(query: CallbackQuery, state: FSMContext, t: Translator, locale: str, bot: Bot) -> None:
        event_id = (await state.get_data()).get("event")
        if query.message is None or not isinstance(event_id, int):
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        await query.answer()
        await ask_consent(bot, query.message.chat.id, state, t, locale, event_id)

    @router.callback_query(EvCb.filter(F.action == "agree"), StateFilter(Registering.consent))
    async def agree(
        query: CallbackQuery,
        callback_data: EvCb,
        state: FSMContext,
        t: Translator,
        locale: str,
        events: EventRepo,
        user: User | None,
    ) -> None:
        data = await state.get_data()
        await state.clear()
        event_id = data.get("event")
        item = await events.get(event_id) if isinstance(event_id, int) else None
        if item is None or user is None or item.id != callback_data.id:
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        registration = await events.register(item.id, user.id, data.get("note"))
        key = "ev-registered" if registration.status == "confirmed" else "ev-waitlisted"
        await query.answer()
        await show(query, t(locale, key, reference=registration.reference))

    @router.message(StateFilter(Registering), not_command)
    async def unexpected(message: Message, state: FSMContext, t: Translator, locale: str, bot: Bot) -> None:
        event_id = (await state.get_data()).get("event")
        if not isinstance(event_id, int):  # a form left from an older version: start again
            await state.clear()
            await message.answer(t(locale, "button-expired"))
            return
        # Not an answer (a photo, a sticker): the same question again.
        ask = ask_note if await state.get_state() == Registering.note.state else ask_consent
        await ask(bot, message.chat.id, state, t, locale, event_id)

    @router.callback_query(EvCb.filter(F.action == "my"))
    async def my(
        query: CallbackQuery, t: Translator, locale: str, events: EventRepo, user: User | None
    ) -> None:
        items = await events.for_user(user.id) if user else []
        if not items:
            await show(query, t(locale, "ev-my-empty"))
            return
        lines = [
            t(
                locale,
                "ev-my-line",
                title=item.text("title", locale),
                when=render.when(item.starts_at, item.timezone, locale),
                status=t(locale, f"ev-reg-{registration.status}"),
            )
            for item, registration in items
        ]
        b = InlineKeyboardBuilder()
        for item, _ in items:
            b.row(_b(render.short(item.text("title", locale), 60), "show", item.id))
        b.row(_b(t(locale, "ev-btn-back"), "list"), home_button(t, locale))
        await show(query, t(locale, "ev-my-title") + "\n" + "\n".join(lines), b.as_markup())

    return router
