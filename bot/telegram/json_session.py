"""Bot API requests without files go as one JSON body instead of an url-encoded form.

aiogram's AiohttpSession sends every call as a form: each value (the text, the keyboard as JSON) is
percent-encoded, byte by byte in Python, and Kyrgyz and Russian text is almost all non-ASCII bytes. That
encoding was ~5 % of the time spent on an update (an answer with the main menu). The Bot API takes
`application/json` bodies as well; calls with files (documents, photos) still go as multipart forms.

A keyboard that many answers share (the main menu, built once per language) can be marked with
`shared()`: it is turned into its JSON form once instead of on every call. It must not be modified.
"""

from __future__ import annotations

from typing import Any, TypeVar

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject
from aiohttp import BytesPayload

TelegramObjectT = TypeVar("TelegramObjectT", bound=TelegramObject)


_SHARED: dict[int, tuple[TelegramObject, list[Any]]] = {}  # id -> (object, its prepared form; once)


def shared(value: TelegramObjectT) -> TelegramObjectT:
    """Mark an object (a keyboard) that is sent unchanged many times; returns it."""
    if len(_SHARED) >= 256:  # a few per language are expected; never grow without bound
        _SHARED.clear()
    _SHARED.setdefault(id(value), (value, []))
    return value


class JsonSession(AiohttpSession):
    def prepare_value(self, value: Any, bot: Bot, files: dict[str, Any], _dumps_json: bool = True) -> Any:
        entry = _SHARED.get(id(value)) if isinstance(value, TelegramObject) else None
        if entry is None or entry[0] is not value:
            return super().prepare_value(value, bot=bot, files=files, _dumps_json=_dumps_json)
        if not entry[1]:
            entry[1].append(super().prepare_value(value, bot=bot, files=files, _dumps_json=False))
        return self.json_dumps(entry[1][0]) if _dumps_json else entry[1][0]

    def build_form_data(self, bot: Bot, method: TelegramMethod[TelegramType]) -> Any:
        files: dict[str, Any] = {}
        body: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files, _dumps_json=False)
            if prepared is None or prepared == "":  # what the form leaves out
                continue
            body[key] = prepared
        if files:
            return super().build_form_data(bot, method)
        return BytesPayload(self.json_dumps(body).encode(), content_type="application/json")
