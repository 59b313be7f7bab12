"""A fake aiogram session: records every Bot API call and answers like Telegram would,
with queued errors for 429/403/400 cases. No network."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import (
    AnswerCallbackQuery,
    CopyMessage,
    EditMessageReplyMarkup,
    EditMessageText,
    ForwardMessage,
    GetMe,
    SendDocument,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    SendVoice,
    TelegramMethod,
)
from aiogram.methods.base import Response, TelegramType
from aiogram.types import Chat, Message, MessageId, User

BOT_USER = User(id=42, is_bot=True, first_name="MigrantBot", username="migrant_test_bot")


class FakeSession(BaseSession):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[TelegramMethod[Any]] = []
        self._errors: deque[tuple[type, Response[Any]]] = deque()
        self._ids = itertools.count(1000)
        self._malformed: deque[tuple[type, str]] = deque()

    def fail_next(self, method: type, error_code: int, description: str, **parameters: Any) -> None:
        """Queue an error answer for the next call of `method` (FIFO)."""
        self._errors.append(
            (
                method,
                Response[Any](
                    ok=False, error_code=error_code, description=description, parameters=parameters or None
                ),
            )
        )

    def malform_next(self, method: type, body: str | None = None) -> None:
        """The next call of `method` is executed but answered with a body aiogram cannot parse
        (default: ok with a result whose `chat` has the wrong shape)."""
        self._malformed.append((method, body or '{"ok": true, "result": {"message_id": 1, "chat": "?"}}'))

    def sent(self, method: type | None = None, chat_id: int | None = None) -> list[Any]:
        return [
            call
            for call in self.calls
            if (method is None or isinstance(call, method))
            and (chat_id is None or getattr(call, "chat_id", None) == chat_id)
        ]

    def texts(self, chat_id: int | None = None) -> list[str]:
        out = []
        for call in self.calls:
            if isinstance(call, (SendMessage, EditMessageText)) and (
                chat_id is None or call.chat_id == chat_id
            ):
                out.append(call.text)
        return out

    def last_text(self, chat_id: int | None = None) -> str:
        texts = self.texts(chat_id)
        assert texts, "the bot sent nothing"
        return texts[-1]

    def clear(self) -> None:
        self.calls.clear()

    async def close(self) -> None:
        return None

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        self.calls.append(method)
        for index, (method_type, response) in enumerate(self._errors):
            if isinstance(method, method_type):
                del self._errors[index]
                # check_response raises the TelegramAPIError that matches the error code
                return self.check_response(  # type: ignore[return-value]
                    bot, method, response.error_code or 400, response.model_dump_json()
                )
        for index, (method_type, body) in enumerate(self._malformed):
            if isinstance(method, method_type):
                del self._malformed[index]
                return self.check_response(bot, method, 200, body)  # type: ignore[return-value]
        result = self._result(method)
        response = Response[Any](ok=True, result=result)
        # Like aiogram's real sessions: the parsed result, not the Response envelope.
        return self.check_response(bot, method, 200, response.model_dump_json()).result  # type: ignore[return-value]

    def _message(self, chat_id: Any, **fields: Any) -> dict[str, Any]:
        chat_id = int(chat_id) if not isinstance(chat_id, int) else chat_id
        chat = Chat(id=chat_id, type="private" if chat_id > 0 else "supergroup")
        return Message(
            message_id=next(self._ids), date=datetime.now(UTC), chat=chat, from_user=BOT_USER, **fields
        ).model_dump(mode="json", exclude_none=True)

    def _result(self, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, GetMe):
            return BOT_USER.model_dump(mode="json", exclude_none=True)
        if isinstance(method, SendMessage):
            markup = method.reply_markup if hasattr(method.reply_markup, "model_dump") else None
            return self._message(
                method.chat_id,
                text=method.text,
                reply_markup=markup,
                message_thread_id=method.message_thread_id,
            )
        if isinstance(method, EditMessageText):
            return self._message(method.chat_id or 0, text=method.text)
        if isinstance(method, (SendPhoto, SendDocument, SendVoice)):
            return self._message(method.chat_id, caption=getattr(method, "caption", None))
        if isinstance(method, SendMediaGroup):
            return [self._message(method.chat_id) for _ in method.media]
        if isinstance(method, (CopyMessage,)):
            return MessageId(message_id=next(self._ids)).model_dump()
        if isinstance(method, ForwardMessage):
            return self._message(method.chat_id)
        if isinstance(method, (AnswerCallbackQuery, EditMessageReplyMarkup)):
            return True
        return True

    def stream_content(self, *args: Any, **kwargs: Any) -> AsyncGenerator[bytes, None]:  # pragma: no cover
        raise NotImplementedError
