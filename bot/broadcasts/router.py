"""/broadcast (staff): compose in both languages, choose the audience, preview, send or schedule;
pause, resume and stop while it runs; /broadcasts lists them. Subscribers can unsubscribe from any notice."""

from __future__ import annotations

import contextlib
from datetime import datetime
from functools import partial

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.broadcasts import render
from bot.broadcasts.callbacks import BcAction, BcCb
from bot.broadcasts.service import Broadcast, BroadcastService
from bot.clock import Clock
from bot.config import Settings
from bot.events.models import KINDS
from bot.events.repo import EventRepo
from bot.forms import Resumed, register_form
from bot.i18n import Translator
from bot.links import MAX_LINK, is_https_link
from bot.outbox.sender import Sender
from bot.places import CITIES
from bot.text import shorten
from bot.users.repo import User, UserRepo

BUTTON_LABEL = 60  # characters of an event title on a button


class Compose(StatesGroup):
    ky = State()
    ru = State()
    media = State()
    button = State()
    link = State()
    audience = State()
    preview = State()
    time = State()


def _button(text: str, action: BcAction, value: str = "", id: int = 0) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=BcCb(action=action, value=value, id=id).pack())


def controls(t: Translator, locale: str, item: Broadcast) -> InlineKeyboardMarkup | None:
    if item.status in {"running", "scheduled"}:
        row = [
            _button(t(locale, "bc-btn-pause"), BcAction.PAUSE, id=item.id),
            _button(t(locale, "bc-btn-stop"), BcAction.STOP, id=item.id),
        ]
    elif item.status == "paused":
        row = [
            _button(t(locale, "bc-btn-resume"), BcAction.RESUME, id=item.id),
            _button(t(locale, "bc-btn-stop"), BcAction.STOP, id=item.id),
        ]
    else:
        return None
    return InlineKeyboardMarkup(inline_keyboard=[row])


def line(t: Translator, locale: str, item: Broadcast, sent: int) -> str:
    """One broadcast in a line: number, status, sent of total, audience."""
    return t(
        locale,
        "bc-list-line",
        id=item.id,
        status=render.status_text(t, locale, item),
        sent=sent,
        total=item.total,
        audience=render.audience_name(t, locale, item.audience),
    )


def _chat(query: CallbackQuery) -> int:
    """Where to answer a button: its message's chat, or the presser's private chat when Telegram sends
    the message as inaccessible (too old or deleted) or not at all. Screens are never edited here."""
    return query.message.chat.id if query.message is not None else query.from_user.id


# Each prompt is sent first and the state set after it, so a failed send never leaves someone in a step
# whose question they have not seen.


async def ask_ky(bot: Bot, chat: int, state: FSMContext, t: Translator, locale: str) -> None:
    await bot.send_message(chat, t(locale, "bc-ask-ky", max=render.MAX_TEXT))
    await state.set_state(Compose.ky)


async def ask_ru(bot: Bot, chat: int, state: FSMContext, t: Translator, locale: str) -> None:
    markup = InlineKeyboardMarkup(inline_keyboard=[[_button(t(locale, "bc-btn-same"), BcAction.SAME)]])
    await bot.send_message(chat, t(locale, "bc-ask-ru"), reply_markup=markup)
    await state.set_state(Compose.ru)


async def ask_media(bot: Bot, chat: int, state: FSMContext, t: Translator, locale: str) -> None:
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[_button(t(locale, "bc-btn-no-media"), BcAction.NO_MEDIA)]]
    )
    await bot.send_message(chat, t(locale, "bc-ask-media"), reply_markup=markup)
    await state.set_state(Compose.media)


async def ask_button(bot: Bot, chat: int, state: FSMContext, t: Translator, locale: str) -> None:
    b = InlineKeyboardBuilder()
    b.row(
        _button(t(locale, "bc-btn-add-event"), BcAction.BUTTON_EVENTS),
        _button(t(locale, "bc-btn-add-link"), BcAction.BUTTON_LINK),
    )
    b.row(_button(t(locale, "bc-btn-no-button"), BcAction.NO_BUTTON))
    await bot.send_message(chat, t(locale, "bc-ask-button"), reply_markup=b.as_markup())
    await state.set_state(Compose.button)


async def ask_link(bot: Bot, chat: int, state: FSMContext, t: Translator, locale: str) -> None:
    await bot.send_message(chat, t(locale, "bc-ask-link"))
    await state.set_state(Compose.link)


async def ask_audience(bot: Bot, chat: int, state: FSMContext, t: Translator, locale: str) -> None:
    b = InlineKeyboardBuilder()
    for value, key in (("all", "bc-btn-all"), ("ky", "bc-btn-ky"), ("ru", "bc-btn-ru")):
        b.row(_button(t(locale, key), BcAction.AUDIENCE, value))
    b.row(
        _button(t(locale, "bc-btn-city"), BcAction.CITY),
        _button(t(locale, "bc-btn-kind"), BcAction.KINDS),
    )
    b.row(_button(t(locale, "bc-btn-event"), BcAction.EVENTS))
    b.row(_button(t(locale, "bc-btn-cancel"), BcAction.CANCEL))
    await bot.send_message(chat, t(locale, "bc-ask-audience"), reply_markup=b.as_markup())
    await state.set_state(Compose.audience)


async def ask_time(bot: Bot, chat: int, state: FSMContext, t: Translator, locale: str) -> None:
    await bot.send_message(chat, t(locale, "bc-ask-time"))
    await state.set_state(Compose.time)


async def resume(resumed: Resumed) -> None:
    """ "Continue" after a command interrupted the draft: ask the question of its step again. The preview
    is rebuilt from the audience question (the numbers may have changed meanwhile)."""
    t: Translator = resumed.context["t"]
    locale: str = resumed.context["locale"]
    bot = resumed.query.bot
    if bot is None:  # a query that did not come through the dispatcher
        return
    step = resumed.step.split(":")[-1]
    ask = {
        "ky": ask_ky,
        "ru": ask_ru,
        "media": ask_media,
        "button": ask_button,
        "link": ask_link,
        "time": ask_time,
    }.get(step, ask_audience)
    await ask(bot, resumed.chat_id, resumed.state, t, locale)


register_form(Compose, name="form-name-broadcast", resume=resume)


def create_router() -> Router:
    router = Router(name="broadcasts")
    router.message.filter(F.chat.type == "private")
    router.callback_query.filter(F.message.chat.type == "private")

    def staff(settings: Settings, user_id: int | None) -> bool:
        return user_id is not None and settings.is_staff(user_id)

    @router.callback_query(BcCb.filter(F.action == BcAction.UNSUB))
    async def unsubscribe(
        query: CallbackQuery, t: Translator, locale: str, users: UserRepo, user: User | None
    ) -> None:
        if user is not None:
            await users.set_subscribed(user.id, False)
        await query.answer(t(locale, "bc-unsubscribed"), show_alert=True)
        if isinstance(query.message, Message):  # keep the notice, drop the button
            with contextlib.suppress(TelegramBadRequest):
                await query.message.edit_reply_markup(reply_markup=None)

    @router.callback_query(BcCb.filter(F.action == BcAction.FROM_EVENT))
    async def from_event(
        query: CallbackQuery,
        callback_data: BcCb,
        state: FSMContext,
        t: Translator,
        locale: str,
        settings: Settings,
        events: EventRepo,
        bot: Bot,
    ) -> None:
        """ "Notify subscribers" on an event: both texts prefilled from the event, a button to its card."""
        event = await events.get(callback_data.id)
        if not staff(settings, query.from_user.id) or event is None:
            await query.answer(t(locale, "not-allowed" if event else "button-expired"), show_alert=True)
            return
        await query.answer()
        chat = _chat(query)
        await bot.send_message(chat, t(locale, "bc-prefilled"))
        await ask_audience(bot, chat, state, t, locale)
        await state.set_data(
            {
                "text_ky": render.event_notice(t, "ky", event),
                "text_ru": render.event_notice(t, "ru", event),
                "media_kind": None,
                "media_file_id": None,
                "button_event_id": event.id,
                "button_url": None,
            }
        )

    @router.message(Command("broadcast"))
    async def start(
        message: Message, state: FSMContext, t: Translator, locale: str, settings: Settings, bot: Bot
    ) -> None:
        if not staff(settings, message.from_user.id if message.from_user else None):
            await message.answer(t(locale, "not-allowed"))
            return
        await state.clear()
        await ask_ky(bot, message.chat.id, state, t, locale)

    @router.message(StateFilter(Compose.ky, Compose.ru), F.text)
    async def text(message: Message, state: FSMContext, t: Translator, locale: str, bot: Bot) -> None:
        body = (message.text or "").strip()
        if len(body) > render.MAX_TEXT:
            await message.answer(t(locale, "bc-too-long", length=len(body), max=render.MAX_TEXT))
            return
        if await state.get_state() == Compose.ky.state:
            await state.update_data(text_ky=body)
            await ask_ru(bot, message.chat.id, state, t, locale)
            return
        await state.update_data(text_ru=body)
        await ask_media(bot, message.chat.id, state, t, locale)

    @router.callback_query(BcCb.filter(F.action == BcAction.SAME), StateFilter(Compose.ru))
    async def same(query: CallbackQuery, state: FSMContext, t: Translator, locale: str, bot: Bot) -> None:
        data = await state.get_data()
        if not data.get("text_ky"):
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        await state.update_data(text_ru=data["text_ky"])
        await query.answer()
        await ask_media(bot, _chat(query), state, t, locale)

    @router.message(StateFilter(Compose.media), F.photo | F.document)
    async def media(message: Message, state: FSMContext, t: Translator, locale: str, bot: Bot) -> None:
        data = await state.get_data()
        longest = max(len(data.get("text_ky", "")), len(data.get("text_ru", "")))
        if longest > render.MAX_CAPTION_TEXT:
            await message.answer(t(locale, "bc-too-long", length=longest, max=render.MAX_CAPTION_TEXT))
            return
        if message.photo:
            await state.update_data(media_kind="photo", media_file_id=message.photo[-1].file_id)
        elif message.document:
            await state.update_data(media_kind="document", media_file_id=message.document.file_id)
        await ask_button(bot, message.chat.id, state, t, locale)

    @router.callback_query(BcCb.filter(F.action == BcAction.NO_MEDIA), StateFilter(Compose.media))
    async def no_media(query: CallbackQuery, state: FSMContext, t: Translator, locale: str, bot: Bot) -> None:
        await state.update_data(media_kind=None, media_file_id=None)
        await query.answer()
        await ask_button(bot, _chat(query), state, t, locale)

    @router.callback_query(BcCb.filter(F.action == BcAction.NO_BUTTON), StateFilter(Compose.button))
    async def no_button(
        query: CallbackQuery, state: FSMContext, t: Translator, locale: str, bot: Bot
    ) -> None:
        await state.update_data(button_event_id=None, button_url=None)
        await query.answer()
        await ask_audience(bot, _chat(query), state, t, locale)

    @router.callback_query(BcCb.filter(F.action == BcAction.BUTTON_EVENTS), StateFilter(Compose.button))
    async def button_events(
        query: CallbackQuery, t: Translator, locale: str, events: EventRepo, clock: Clock, bot: Bot
    ) -> None:
        upcoming = await events.upcoming(clock.now())
        if not upcoming:
            await query.answer(t(locale, "ev-admin-empty"), show_alert=True)
            return
        b = InlineKeyboardBuilder()
        for event in upcoming[:20]:
            b.row(
                _button(
                    shorten(event.text("title", locale), BUTTON_LABEL), BcAction.BUTTON_EVENT, id=event.id
                )
            )
        await query.answer()
        await bot.send_message(_chat(query), t(locale, "bc-ask-button-event"), reply_markup=b.as_markup())

    @router.callback_query(BcCb.filter(F.action == BcAction.BUTTON_EVENT), StateFilter(Compose.button))
    async def button_event(
        query: CallbackQuery,
        callback_data: BcCb,
        state: FSMContext,
        t: Translator,
        locale: str,
        events: EventRepo,
        bot: Bot,
    ) -> None:
        if await events.get(callback_data.id) is None:
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        await state.update_data(button_event_id=callback_data.id, button_url=None)
        await query.answer()
        await ask_audience(bot, _chat(query), state, t, locale)

    @router.callback_query(BcCb.filter(F.action == BcAction.BUTTON_LINK), StateFilter(Compose.button))
    async def button_link(
        query: CallbackQuery, state: FSMContext, t: Translator, locale: str, bot: Bot
    ) -> None:
        await query.answer()
        await ask_link(bot, _chat(query), state, t, locale)

    @router.message(StateFilter(Compose.link), F.text)
    async def link(message: Message, state: FSMContext, t: Translator, locale: str, bot: Bot) -> None:
        url = (message.text or "").strip()
        if not is_https_link(url):
            await message.answer(t(locale, "bc-bad-link", max=MAX_LINK))
            return
        await state.update_data(button_url=url, button_event_id=None)
        await ask_audience(bot, message.chat.id, state, t, locale)

    @router.callback_query(BcCb.filter(F.action == BcAction.CITY), StateFilter(Compose.audience))
    async def city(query: CallbackQuery, t: Translator, locale: str, bot: Bot) -> None:
        b = InlineKeyboardBuilder()
        for c in CITIES:
            b.add(_button(t(locale, f"city-{c.key}"), BcAction.AUDIENCE, f"city.{c.key}"))
        b.adjust(2)
        await query.answer()
        await bot.send_message(_chat(query), t(locale, "bc-ask-city"), reply_markup=b.as_markup())

    @router.callback_query(BcCb.filter(F.action == BcAction.KINDS), StateFilter(Compose.audience))
    async def kinds(query: CallbackQuery, t: Translator, locale: str, bot: Bot) -> None:
        b = InlineKeyboardBuilder()
        for kind in KINDS:
            b.row(_button(t(locale, f"ev-kind-{kind}"), BcAction.AUDIENCE, f"kind.{kind}"))
        await query.answer()
        await bot.send_message(_chat(query), t(locale, "bc-ask-kind"), reply_markup=b.as_markup())

    @router.callback_query(BcCb.filter(F.action == BcAction.EVENTS), StateFilter(Compose.audience))
    async def event_audiences(
        query: CallbackQuery, t: Translator, locale: str, clock: Clock, events: EventRepo, bot: Bot
    ) -> None:
        upcoming = await events.upcoming(clock.now())
        b = InlineKeyboardBuilder()
        for event in upcoming[:20]:
            label = shorten(event.text("title", locale), BUTTON_LABEL)
            b.row(_button(label, BcAction.AUDIENCE, "event", id=event.id))
        await query.answer()
        await bot.send_message(_chat(query), t(locale, "bc-ask-event"), reply_markup=b.as_markup())

    @router.callback_query(BcCb.filter(F.action == BcAction.AUDIENCE), StateFilter(Compose.audience))
    async def audience(
        query: CallbackQuery,
        callback_data: BcCb,
        state: FSMContext,
        t: Translator,
        locale: str,
        broadcasts: BroadcastService,
        bot: Bot,
        events: EventRepo,
    ) -> None:
        # Callback data cannot carry ":"; city.<key> and event (+ id) are turned into audience strings.
        audience = callback_data.value.replace("city.", "city:", 1).replace("kind.", "kind:", 1)
        if audience == "event":
            chosen = await events.get(callback_data.id)
            audience = f"event:{chosen.key}" if chosen else "?"
        try:
            count = await broadcasts.count(audience)
        except ValueError:
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        if count == 0:
            await query.answer(t(locale, "bc-no-recipients"), show_alert=True)
            return
        data = await state.get_data()
        if not data.get("text_ky") or not data.get("text_ru"):  # a draft that lost its texts: start again
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        await query.answer()
        draft = Broadcast(
            id=0,
            author_id=None,
            text_ky=data["text_ky"],
            text_ru=data["text_ru"],
            media_kind=data.get("media_kind"),
            media_file_id=data.get("media_file_id"),
            button_event_id=data.get("button_event_id"),
            button_url=data.get("button_url"),
            audience=audience,
            status="draft",
            total=count,
            scheduled_at=datetime.min,
            created_at=datetime.min,
            finished_at=None,
            progress_chat_id=None,
            progress_message_id=None,
        )
        chat = _chat(query)
        for preview_locale in ("ky", "ru"):  # exactly what each language's recipients will get
            await bot.send_message(
                chat, t(locale, "bc-preview-title", locale=t(locale, f"lang-name-{preview_locale}"))
            )
            method, params = render.payload(t, draft, preview_locale)
            sender = {
                "sendMessage": bot.send_message,
                "sendPhoto": bot.send_photo,
                "sendDocument": bot.send_document,
            }
            await sender[method](chat, **params)
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    _button(t(locale, "bc-btn-send"), BcAction.SEND),
                    _button(t(locale, "bc-btn-schedule"), BcAction.SCHEDULE),
                ],
                [_button(t(locale, "bc-btn-cancel"), BcAction.CANCEL)],
            ]
        )
        summary = t(
            locale, "bc-preview-summary", audience=render.audience_name(t, locale, audience), count=count
        )
        await bot.send_message(chat, summary, reply_markup=markup)
        await state.update_data(audience=audience)
        await state.set_state(Compose.preview)

    @router.callback_query(BcCb.filter(F.action == BcAction.CANCEL), StateFilter(Compose))
    async def cancel_draft(
        query: CallbackQuery, state: FSMContext, t: Translator, locale: str, bot: Bot
    ) -> None:
        await state.clear()
        await query.answer()
        await bot.send_message(_chat(query), t(locale, "bc-cancelled-draft"))

    @router.callback_query(BcCb.filter(F.action == BcAction.SCHEDULE), StateFilter(Compose.preview))
    async def schedule(query: CallbackQuery, state: FSMContext, t: Translator, locale: str, bot: Bot) -> None:
        await query.answer()
        await ask_time(bot, _chat(query), state, t, locale)

    @router.message(StateFilter(Compose.time), F.text)
    async def scheduled_time(
        message: Message,
        state: FSMContext,
        t: Translator,
        locale: str,
        broadcasts: BroadcastService,
        sender: Sender,
        clock: Clock,
        bot: Bot,
    ) -> None:
        try:
            at = datetime.strptime((message.text or "").strip(), "%d.%m.%Y %H:%M").replace(
                tzinfo=render.BISHKEK
            )
        except ValueError:
            at = None
        if at is None or at <= clock.now():
            await message.answer(t(locale, "bc-bad-time"))
            return
        author = message.from_user.id if message.from_user else message.chat.id
        await launch(bot, message.chat.id, author, state, t, locale, broadcasts, sender, clock, at)

    @router.callback_query(BcCb.filter(F.action == BcAction.SEND), StateFilter(Compose.preview))
    async def send_now(
        query: CallbackQuery,
        state: FSMContext,
        t: Translator,
        locale: str,
        broadcasts: BroadcastService,
        sender: Sender,
        clock: Clock,
        bot: Bot,
    ) -> None:
        await query.answer()
        await launch(bot, _chat(query), query.from_user.id, state, t, locale, broadcasts, sender, clock, None)

    async def launch(
        bot: Bot,
        chat: int,
        author: int,
        state: FSMContext,
        t: Translator,
        locale: str,
        broadcasts: BroadcastService,
        sender: Sender,
        clock: Clock,
        at: datetime | None,
    ) -> None:
        data = await state.get_data()
        if not data.get("text_ky") or not data.get("text_ru") or not data.get("audience"):
            await state.clear()
            await bot.send_message(chat, t(locale, "button-expired"))
            return
        await state.clear()  # a second tap on "Send" finds no draft: one broadcast only
        item = await broadcasts.create(
            author_id=author,
            text_ky=data["text_ky"],
            text_ru=data["text_ru"],
            audience=data["audience"],
            media_kind=data.get("media_kind"),
            media_file_id=data.get("media_file_id"),
            button_event_id=data.get("button_event_id"),
            button_url=data.get("button_url"),
            at=at,
            payload=partial(render.payload, t),
        )
        figures = await broadcasts.progress(item.id)
        progress = await bot.send_message(
            chat,
            render.progress(t, locale, item, figures, clock.now()),
            reply_markup=controls(t, locale, item),
        )
        await broadcasts.set_progress_message(item.id, progress.chat.id, progress.message_id)
        sender.wake()

    @router.callback_query(BcCb.filter(F.action.in_({BcAction.PAUSE, BcAction.RESUME, BcAction.STOP})))
    async def control(
        query: CallbackQuery,
        callback_data: BcCb,
        t: Translator,
        locale: str,
        settings: Settings,
        broadcasts: BroadcastService,
        sender: Sender,
        clock: Clock,
    ) -> None:
        item = await broadcasts.get(callback_data.id)
        if not staff(settings, query.from_user.id) or item is None:
            await query.answer(t(locale, "not-allowed" if item else "button-expired"), show_alert=True)
            return
        action = {
            BcAction.PAUSE: broadcasts.pause,
            BcAction.RESUME: broadcasts.resume,
            BcAction.STOP: broadcasts.cancel,
        }[callback_data.action]
        await action(item.id, query.from_user.id)
        sender.wake()
        item = await broadcasts.get(item.id) or item
        figures = await broadcasts.progress(item.id)
        if not isinstance(query.message, Message):  # the progress message is gone: say the new status
            await query.answer(line(t, locale, item, figures.sent), show_alert=True)
            return
        await query.answer()
        with contextlib.suppress(TelegramBadRequest):  # "not modified", or too old to edit
            await query.message.edit_text(
                render.progress(t, locale, item, figures, clock.now()), reply_markup=controls(t, locale, item)
            )

    @router.message(Command("broadcasts"))
    async def listing(
        message: Message, t: Translator, locale: str, settings: Settings, broadcasts: BroadcastService
    ) -> None:
        if not staff(settings, message.from_user.id if message.from_user else None):
            await message.answer(t(locale, "not-allowed"))
            return
        items = await broadcasts.recent()
        if not items:
            await message.answer(t(locale, "bc-list-empty"))
            return
        lines = []
        for item in items:
            figures = await broadcasts.progress(item.id)
            lines.append(line(t, locale, item, figures.sent))
        await message.answer(t(locale, "bc-list-title") + "\n" + "\n".join(lines))

    @router.message(StateFilter(Compose))
    async def unexpected(message: Message, t: Translator, locale: str) -> None:
        await message.answer(t(locale, "bc-need-text"))

    return router
