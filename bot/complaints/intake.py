"""The complaint form: a guided, resumable dialog (its state is in the database-backed FSM storage,
so a restart in the middle loses nothing), with back and cancel at every step."""

from __future__ import annotations

import re
import uuid
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.complaints import keyboards as kb
from bot.complaints import notices, render
from bot.complaints.callbacks import IntakeCb
from bot.complaints.models import (
    CATEGORIES,
    CONSENT_VERSION,
    COUNTRIES,
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_NAME,
    MAX_SHORT,
    MAX_TEXT,
    Attachment,
)
from bot.complaints.repo import ComplaintRepo
from bot.config import Settings
from bot.forms import Resumed, register_form
from bot.i18n import Translator
from bot.knowledge.service import KnowledgeBase
from bot.menu.callbacks import Area, ComplainCb, MenuCb
from bot.menu.keyboards import main_menu
from bot.menu.screens import show
from bot.outbox.sender import Sender

PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{6,19}$")
STEPS = ("country", "city", "category", "description", "when", "via", "name", "consent", "summary")
OPTIONAL = frozenset({"city", "when", "name"})  # skipped for urgent complaints


class Intake(StatesGroup):
    country = State()
    city = State()
    category = State()
    description = State()
    when = State()
    via = State()
    phone = State()
    name = State()
    consent = State()
    summary = State()


async def _resume(resumed: Resumed) -> None:
    """ "Continue" after a command: ask the step's own question again, below the offer."""
    step = resumed.step.split(":")[-1]
    if step not in STEPS and step != "phone":
        step = "country"
    await _ask(resumed.query, resumed.state, resumed.context["t"], step, new=True)


# A command typed inside this form puts it aside under this name (bot/forms.py).
register_form(Intake, name="form-name-complaint", resume=_resume)


def _skipped(step: str, data: dict[str, Any]) -> bool:
    if data.get("urgent") and step in OPTIONAL:
        return True
    return step == "category" and bool(data.get("category_preset"))


def _next(step: str, data: dict[str, Any]) -> str:
    if data.get("editing") and step not in {"country", "via"}:
        return "summary"
    for candidate in STEPS[STEPS.index(step) + 1 :]:
        if not _skipped(candidate, data):
            return candidate
    return "summary"


def _previous(step: str, data: dict[str, Any]) -> str | None:
    index = STEPS.index("via" if step == "phone" else step)
    for candidate in reversed(STEPS[:index]):
        if not _skipped(candidate, data):
            return candidate
    return None


async def _ask(
    event: Message | CallbackQuery, state: FSMContext, t: Translator, step: str, new: bool = False
) -> None:
    """Show the step's question (editing the pressed message, or as a new message with `new`), then
    move the form to that step: the state never runs ahead of what the person sees."""
    data = await state.get_data()
    locale = data.get("locale", "ru")
    prompts = {
        "country": (t(locale, "cp-ask-country"), kb.countries(t, locale)),
        "city": (t(locale, "cp-ask-city"), kb.skip(t, locale)),
        "category": (t(locale, "cp-ask-category"), kb.categories(t, locale)),
        "description": (t(locale, "cp-ask-description", max=MAX_TEXT, files=MAX_FILES), kb.done(t, locale)),
        "when": (t(locale, "cp-ask-when"), kb.skip(t, locale)),
        "via": (t(locale, "cp-ask-reply-via"), kb.reply_via(t, locale)),
        "phone": (t(locale, "cp-ask-phone"), kb.nav(t, locale)),
        "name": (t(locale, "cp-ask-name"), kb.name(t, locale)),
        "consent": (t(locale, "cp-consent", version=CONSENT_VERSION), kb.consent(t, locale)),
        "summary": (render.summary(t, locale, data), kb.summary(t, locale)),
    }
    text, markup = prompts[step]
    if isinstance(event, CallbackQuery) and new:
        await event.bot.send_message(event.from_user.id, text, reply_markup=markup)  # type: ignore[union-attr]
    elif isinstance(event, CallbackQuery):
        await show(event, text, markup)
    else:
        await event.answer(text, reply_markup=markup)
    await state.set_state(getattr(Intake, step))


def _too_long(t: Translator, locale: str, text: str, limit: int) -> str | None:
    return t(locale, "cp-text-too-long", length=len(text), max=limit) if len(text) > limit else None


def create_router() -> Router:
    router = Router(name="complaints-intake")
    router.message.filter(F.chat.type == "private")
    router.callback_query.filter(F.message.chat.type == "private")

    async def begin(
        event: Message | CallbackQuery, state: FSMContext, t: Translator, locale: str, preset: ComplainCb
    ) -> None:
        data: dict[str, Any] = {
            "locale": locale,
            "draft_id": uuid.uuid4().hex,
            "files": [],
            "topic": preset.topic,
        }
        if preset.urgent:
            data["urgent"] = True
        if preset.category in CATEGORIES:
            data["category"] = preset.category
            data["category_preset"] = True
        await state.set_data(data)
        intro = t(locale, "cp-urgent-intro") if preset.urgent else t(locale, "cp-intro")
        if isinstance(event, CallbackQuery):
            await show(event, intro)
            await _ask(event, state, t, "country", new=True)  # below the intro, even if that was edited
        else:
            await event.answer(intro)
            await _ask(event, state, t, "country")

    @router.message(Command("complaint"))
    async def command(message: Message, state: FSMContext, t: Translator, locale: str) -> None:
        await begin(message, state, t, locale, ComplainCb())

    @router.callback_query(MenuCb.filter(F.area == Area.COMPLAIN))
    async def from_menu(query: CallbackQuery, state: FSMContext, t: Translator, locale: str) -> None:
        await begin(query, state, t, locale, ComplainCb())

    @router.callback_query(ComplainCb.filter())
    async def from_card(
        query: CallbackQuery, callback_data: ComplainCb, state: FSMContext, t: Translator, locale: str
    ) -> None:
        await begin(query, state, t, locale, callback_data)

    @router.callback_query(IntakeCb.filter(), StateFilter(Intake))
    async def button(
        query: CallbackQuery,
        callback_data: IntakeCb,
        state: FSMContext,
        t: Translator,
        complaints: ComplaintRepo,
        settings: Settings,
        sender: Sender,
    ) -> None:
        data = await state.get_data()
        locale = data.get("locale", "ru")
        current = (await state.get_state() or "").split(":")[-1]
        step, value = callback_data.step, callback_data.value
        if step == "cancel":
            await state.clear()
            await show(query, t(locale, "cp-cancelled"), main_menu(t, locale))
            return
        if step == "back":
            previous = _previous(current, data)
            await _ask(query, state, t, previous or "country")
            return
        accepted = {
            "country": current == "country" and value in COUNTRIES,
            "category": current == "category" and value in CATEGORIES,
            "skip": current in OPTIONAL,
            "done": current == "description",
            "via": current == "via" and value in {"chat", "phone"},
            "noname": current == "name",
            "agree": current == "consent",
            "send": current == "summary",
            "edit": current == "summary" and value in {"place", "category", "description", "contact"},
        }
        if not accepted.get(step):  # an old button of an earlier step, or forged data
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        if step == "country":
            await state.update_data(country=value)
        elif step == "category":
            await state.update_data(category=value, category_preset=False)
        elif step == "skip":
            await state.update_data(
                **{"city" if current == "city" else "happened" if current == "when" else current: None}
            )
        elif step == "done" and not data.get("description"):
            await query.answer(t(locale, "cp-need-description"), show_alert=True)
            return
        elif step == "via":
            await state.update_data(reply_via=value, phone=None if value == "chat" else data.get("phone"))
            if value == "phone":
                await _ask(query, state, t, "phone")
                return
        elif step == "noname":
            await state.update_data(name=None)
        elif step == "agree":
            await state.update_data(consent_version=CONSENT_VERSION)
        elif step == "edit":
            await state.update_data(editing=True)
            target = {
                "place": "country",
                "category": "category",
                "description": "description",
                "contact": "via",
            }
            if value == "category":
                await state.update_data(category_preset=False)
            await _ask(query, state, t, target[value])
            return
        elif step == "send":
            await submit(query, state, t, complaints, settings, sender)
            return
        data = await state.get_data()
        following = _next(current, data)
        if current == "country" and data.get("editing"):
            following = "city" if not data.get("urgent") else "summary"
        if current == "city" and data.get("editing"):
            following = "summary"
        if following == "summary" and not data.get("consent_version"):
            following = "consent"
        await _ask(query, state, t, following)

    async def submit(
        query: CallbackQuery,
        state: FSMContext,
        t: Translator,
        complaints: ComplaintRepo,
        settings: Settings,
        sender: Sender,
    ) -> None:
        data = await state.get_data()
        locale = data["locale"]
        files = [Attachment(*f) for f in data.get("files", [])]
        case, _ = await complaints.create(
            query.from_user.id,
            f"{query.from_user.id}:{data['draft_id']}",  # a double tap on "Send" saves one case
            data,
            files,
            lambda c: notices.new_case(t, settings.operators_locale, settings.operators_chat_id, c, files),
        )
        await state.clear()
        text = t(locale, "cp-submitted", number=case.number, days=settings.complaint_response_days)
        if case.urgent:
            text += "\n" + t(locale, "cp-submitted-urgent")
        await show(query, text, main_menu(t, locale))
        sender.wake()

    # Text starting with "/" is a command, never form content: it goes on to the command's handler and
    # the draft stays as it was.
    @router.message(
        StateFilter(Intake.city, Intake.when, Intake.phone, Intake.name), F.text, ~F.text.startswith("/")
    )
    async def short_text(message: Message, state: FSMContext, t: Translator) -> None:
        data = await state.get_data()
        locale, text = data.get("locale", "ru"), (message.text or "").strip()
        current = (await state.get_state() or "").split(":")[-1]
        limit = (
            MAX_NAME
            if current == "name"
            else 32
            if current == "phone"
            else 64
            if current == "city"
            else MAX_SHORT
        )
        if error := _too_long(t, locale, text, limit):
            await message.answer(error)
            return
        if current == "phone":
            if not PHONE.match(text):
                await message.answer(t(locale, "cp-bad-phone"), reply_markup=kb.nav(t, locale))
                return
            await state.update_data(phone=text)
            current = "via"
        else:
            await state.update_data(**{"happened" if current == "when" else current: text})
        data = await state.get_data()
        following = _next(current, data)
        if following == "summary" and not data.get("consent_version"):
            following = "consent"
        await _ask(message, state, t, following)

    @router.message(StateFilter(Intake.description), F.text, ~F.text.startswith("/"))
    async def description(
        message: Message, state: FSMContext, t: Translator, knowledge: KnowledgeBase
    ) -> None:
        data = await state.get_data()
        locale = data.get("locale", "ru")
        text = (message.text or "").strip()
        combined = (
            f"{data['description']}\n{text}" if data.get("description") and not data.get("editing") else text
        )
        if error := _too_long(t, locale, combined, MAX_TEXT):
            await message.answer(error)
            return
        # An emergency told in the story makes the case urgent even if it was not started as one.
        urgent = bool(data.get("urgent")) or knowledge.detect_urgent(combined) is not None
        await state.update_data(description=combined, urgent=urgent)
        await message.answer(t(locale, "cp-description-saved"), reply_markup=kb.done(t, locale))

    @router.message(StateFilter(Intake.description), F.photo | F.document | F.voice)
    async def attachment(message: Message, state: FSMContext, t: Translator) -> None:
        data = await state.get_data()
        locale = data.get("locale", "ru")
        files = list(data.get("files", []))
        media = message.document or message.voice or (message.photo[-1] if message.photo else None)
        if media is not None and (media.file_size or 0) > MAX_FILE_BYTES:
            await message.answer(t(locale, "cp-file-too-big"))
            return
        if len(files) >= MAX_FILES:
            await message.answer(t(locale, "cp-too-many-files", max=MAX_FILES))
            return
        kind = "photo" if message.photo else "voice" if message.voice else "document"
        files.append([kind, message.chat.id, message.message_id])
        update: dict[str, Any] = {"files": files}
        if message.caption:  # an album's caption describes it: keep it with the description
            update["description"] = "\n".join(filter(None, [data.get("description"), message.caption]))[
                :MAX_TEXT
            ]
        await state.update_data(**update)
        await message.answer(
            t(locale, "cp-file-saved", count=len(files), max=MAX_FILES), reply_markup=kb.done(t, locale)
        )

    @router.message(StateFilter(Intake), ~F.text.startswith("/"))
    async def unexpected(message: Message, state: FSMContext, t: Translator) -> None:
        # Text where a button is expected, or a sticker/location/... anywhere in the form.
        data = await state.get_data()
        locale = data.get("locale", "ru")
        if message.text:
            current = (await state.get_state() or "").split(":")[-1]
            await _ask(message, state, t, current)
            return
        await message.answer(t(locale, "cp-unsupported"))

    @router.callback_query(F.data.startswith("ci:"))
    async def expired(query: CallbackQuery, t: Translator, locale: str) -> None:
        # A form button after the form was sent or cancelled, or forged data.
        await query.answer(t(locale, "button-expired"), show_alert=True)

    return router
