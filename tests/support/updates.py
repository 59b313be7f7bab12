"""Update factories: messages and button presses as Telegram sends them."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from aiogram.types import CallbackQuery, Chat, Message, MessageEntity, Update, User

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)


def tg_user(user_id: int, language_code: str | None = "ru", first_name: str = "Айбек") -> User:
    return User(id=user_id, is_bot=False, first_name=first_name, language_code=language_code)


def message(
    user_id: int,
    text: str | None = None,
    *,
    language_code: str | None = "ru",
    chat_id: int | None = None,
    chat_type: str = "private",
    **fields: Any,
) -> Update:
    entities = None
    if text and text.startswith("/"):
        entities = [MessageEntity(type="bot_command", offset=0, length=len(text.split()[0]))]
    chat = Chat(id=chat_id if chat_id is not None else user_id, type=chat_type)
    msg = Message(
        message_id=next(_message_ids),
        date=datetime.now(UTC),
        chat=chat,
        from_user=tg_user(user_id, language_code),
        text=text,
        entities=entities,
        **fields,
    )
    return Update(update_id=next(_update_ids), message=msg)


def click(
    user_id: int,
    data: str,
    *,
    language_code: str | None = "ru",
    message_id: int = 1,
    text: str = "…",
    chat_id: int | None = None,
    chat_type: str = "private",
) -> Update:
    chat = Chat(id=chat_id if chat_id is not None else user_id, type=chat_type)
    msg = Message(message_id=message_id, date=datetime.now(UTC), chat=chat, text=text)
    query = CallbackQuery(
        id=str(next(_update_ids)),
        from_user=tg_user(user_id, language_code),
        chat_instance="ci",
        message=msg,
        data=data,
    )
    return Update(update_id=next(_update_ids), callback_query=query)
