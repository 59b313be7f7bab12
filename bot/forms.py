"""A command typed in the middle of a form does what it says, and the form waits.

Without this, `/topics` typed while writing a complaint became part of the story, and `/complaint` typed
at an event registration's note step was saved as the note. One outer middleware (on messages and
button presses, after the user middleware) handles it for every form of the bot:

1. a message whose text is a bot command (entity `bot_command` at offset 0, addressed to this bot)
   arrives while the person (per chat and user: operators in the group too) is in a form: the form's
   state and data move to a separate storage record (destiny "suspended") and the state is cleared, so
   the command's handler runs as if no form were open;
2. afterwards, once no form is open, the bot offers the suspended form once: "You have an unfinished
   <name> — [Continue] [Discard]" in the person's language;
3. Continue restores state and data and asks the step's question again (the feature's resume callback
   registered with `register_resume`, or a generic "send your answer to the last question"); Discard
   drops it.

A command that a form handles itself (registered with `register_form(..., commands=...)`) still reaches
the form. A command that starts the same form again (`/broadcast` inside /broadcast) restarts it: the
old draft is not offered. At most one suspended form per form type is kept.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Annotated, Any

from aiogram import BaseMiddleware, Bot, Dispatcher, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    TelegramObject,
)
from pydantic import Field

from bot.i18n import Translator

log = logging.getLogger(__name__)

SUSPENDED = "suspended"  # the storage destiny of suspended forms


@dataclass(frozen=True)
class Resumed:
    """What a resume callback gets: the "Continue" press, the restored form and the handler data."""

    query: CallbackQuery
    state: FSMContext
    step: str  # the full state name, e.g. "Compose:ru"
    chat_id: int
    thread_id: int | None
    context: dict[str, Any]  # t, locale, user, services… as handlers get them


ResumeCallback = Callable[[Resumed], Awaitable[None]]


@dataclass
class _Form:
    name: str | None = None  # a Fluent message id naming the form
    resume: ResumeCallback | None = None
    commands: frozenset[str] = field(default_factory=frozenset)


_FORMS: dict[str, _Form] = {}


def _group(state: str) -> str:
    # aiogram names states "<group>:<state>" (nested groups are joined with "." inside <group>).
    return state.split(":", 1)[0]


def _form(state: str) -> _Form:
    return _FORMS.get(_group(state), _Form())


def register_form(
    group: type[StatesGroup],
    *,
    name: str | None = None,
    resume: ResumeCallback | None = None,
    commands: Iterable[str] = (),
) -> None:
    """Describe a feature's form: its name (Fluent id), how to ask its question again, and the commands
    the form itself handles (they are not treated as leaving the form). Unset parts keep their value."""
    form = _FORMS.setdefault(group.__full_group_name__, _Form())
    if name is not None:
        form.name = name
    if resume is not None:
        form.resume = resume
    form.commands = form.commands | {command.lower().lstrip("/") for command in commands}


def register_resume(group: type[StatesGroup], callback: ResumeCallback) -> None:
    register_form(group, resume=callback)


class FormAction(StrEnum):
    CONTINUE = "go"
    DISCARD = "drop"


class FormCb(CallbackData, prefix="form"):
    action: FormAction
    token: Annotated[str, Field(min_length=8, max_length=16, pattern=r"^[0-9a-f]+$")]


def _command(message: Message) -> tuple[str, str] | None:
    """(command, @mention) of a message that is a bot command, else None."""
    text = message.text
    if not text or not text.startswith("/"):
        return None
    if not any(e.type == "bot_command" and e.offset == 0 for e in message.entities or ()):
        return None
    word = text.split(maxsplit=1)[0][1:]
    name, _, mention = word.partition("@")
    return name.lower(), mention.lower()


def _key(state: FSMContext) -> Any:
    return replace(state.key, destiny=SUSPENDED)


async def _load(state: FSMContext) -> list[dict[str, Any]]:
    data = await state.storage.get_data(_key(state))
    forms = data.get("forms")
    return [f for f in forms if isinstance(f, dict)] if isinstance(forms, list) else []


async def _save(state: FSMContext, forms: list[dict[str, Any]]) -> None:
    await state.storage.set_data(_key(state), {"forms": forms} if forms else {})


async def _suspend(state: FSMContext, raw_state: str) -> None:
    """Move the open form aside (replacing an older one of the same type) and clear the state."""
    entry = {
        "token": secrets.token_hex(4),
        "state": raw_state,
        "data": await state.get_data(),
        "offered": False,
    }
    forms = [f for f in await _load(state) if _group(str(f.get("state"))) != _group(raw_state)]
    await _save(state, [*forms, entry])
    await state.clear()


def _locale(data: dict[str, Any], chat_type: str | None) -> str:
    settings = data.get("settings")
    if chat_type not in (None, "private") and settings is not None:
        return str(settings.operators_locale)  # the operators' group reads one language
    return str(data.get("locale") or "ru")


async def _offer(state: FSMContext, data: dict[str, Any], chat_id: int, thread_id: int | None) -> None:
    """Offer each suspended form not offered yet: once, with Continue and Discard."""
    forms = await _load(state)
    pending = [f for f in forms if not f.get("offered")]
    if not pending:
        return
    bot: Bot = data["bot"]
    t: Translator = data["t"]
    chat = data.get("event_chat")
    locale = _locale(data, chat.type if chat is not None else None)
    for entry in pending:
        entry["offered"] = True  # marked first: a failed send must not turn into repeated offers
    await _save(state, forms)
    for entry in pending:
        form = _form(str(entry["state"]))
        text = (
            t(locale, "form-suspended", name=t(locale, form.name))
            if form.name
            else t(locale, "form-suspended-generic")
        )
        token = str(entry["token"])
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=t(locale, "form-btn-continue"),
                        callback_data=FormCb(action=FormAction.CONTINUE, token=token).pack(),
                    ),
                    InlineKeyboardButton(
                        text=t(locale, "form-btn-discard"),
                        callback_data=FormCb(action=FormAction.DISCARD, token=token).pack(),
                    ),
                ]
            ]
        )
        await bot.send_message(chat_id, text, reply_markup=markup, message_thread_id=thread_id)


def _place(event: Message | CallbackQuery) -> tuple[int, int | None]:
    """The chat (and forum topic) where the event happened, to answer in the same place."""
    message = event if isinstance(event, Message) else event.message
    if message is None:
        return event.from_user.id if event.from_user else 0, None
    thread = message.message_thread_id if isinstance(message, Message) and message.is_topic_message else None
    return message.chat.id, thread


class FormsMiddleware(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        state: FSMContext | None = data.get("state")
        raw_state: str | None = data.get("raw_state")
        if state is None or raw_state is None or not isinstance(event, (Message, CallbackQuery)):
            return await handler(event, data)
        command = _command(event) if isinstance(event, Message) else None
        if command is not None and await self._leaves_form(command, raw_state, data):
            await _suspend(state, raw_state)
            data["raw_state"] = None  # state filters of the handlers see no open form
            result = await handler(event, data)
            now = await state.get_state()
            if now is not None and _group(now) == _group(raw_state):
                # The command started this same form again: the person chose to begin anew.
                forms = [f for f in await _load(state) if _group(str(f.get("state"))) != _group(now)]
                await _save(state, forms)
            elif now is None:
                await _offer(state, data, *_place(event))
            return result  # another form started: the suspended one is offered when that one ends
        result = await handler(event, data)
        if await state.get_state() is None:  # this form has just ended: offer one suspended earlier
            await _offer(state, data, *_place(event))
        return result

    @staticmethod
    async def _leaves_form(command: tuple[str, str], raw_state: str, data: dict[str, Any]) -> bool:
        name, mention = command
        if name in _form(raw_state).commands:
            return False
        if mention:  # "/help@other_bot" in a group is not for us
            bot: Bot = data["bot"]
            me = await bot.me()
            return mention == (me.username or "").lower()
        return True


def create_router() -> Router:
    router = Router(name="forms")

    @router.callback_query(FormCb.filter())
    async def chosen(
        query: CallbackQuery, callback_data: FormCb, state: FSMContext, t: Translator, **data: Any
    ) -> None:
        forms = await _load(state)
        entry = next((f for f in forms if f.get("token") == callback_data.token), None)
        chat = query.message.chat if query.message is not None else None
        locale = _locale(data, chat.type if chat else None)
        if entry is None:  # already continued or discarded, or another person's button
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        forms.remove(entry)
        if callback_data.action == FormAction.DISCARD:
            await _save(state, forms)
            await query.answer(t(locale, "form-discarded"))
            await _drop_buttons(query)
            return
        current = await state.get_state()
        if current is not None:  # another form is open: it waits in turn (nothing is lost)
            current_data = await state.get_data()
            forms = [f for f in forms if _group(str(f.get("state"))) != _group(current)]
            forms.append(
                {"token": secrets.token_hex(4), "state": current, "data": current_data, "offered": False}
            )
        await _save(state, forms)
        await state.set_state(None)
        await state.set_data(dict(entry.get("data") or {}))
        await query.answer()
        await _drop_buttons(query)
        step = str(entry["state"])
        chat_id, thread_id = _place(query)
        form = _form(step)
        try:
            if form.resume is not None:
                context = {**data, "t": t, "locale": locale, "state": state}
                await form.resume(Resumed(query, state, step, chat_id, thread_id, context))
            else:
                bot: Bot = data["bot"]
                await bot.send_message(
                    chat_id, t(locale, "form-continue-generic"), message_thread_id=thread_id
                )
        except Exception:
            # The question could not be shown: keep the form suspended rather than half-restored.
            await state.clear()
            await _save(state, [*await _load(state), {**entry, "offered": False}])
            raise
        if await state.get_state() is None:  # the callback did not move it: restore the step as it was
            await state.set_state(step)

    return router


async def _drop_buttons(query: CallbackQuery) -> None:
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramAPIError):  # too old to edit: the buttons stay, harmlessly
            await query.message.edit_reply_markup(reply_markup=None)


def install(dp: Dispatcher) -> None:
    """Wire the mechanism into a dispatcher: call after the user middleware, before feature routers."""
    middleware = FormsMiddleware()
    dp.message.outer_middleware(middleware)
    dp.callback_query.outer_middleware(middleware)
    dp.include_router(create_router())
