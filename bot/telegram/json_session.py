"""Bot API requests without files go as one JSON body instead of an url-encoded form.

aiogram's AiohttpSession sends every call as a form: each value (the text, the keyboard as JSON) is
percent-encoded, byte by byte in Python, and Kyrgyz and Russian text is almost all non-ASCII bytes. That
encoding was ~5 % of the time spent on an update (an answer with the main menu). The Bot API takes
`application/json` bodies as well; calls with files (documents, photos) still go as multipart forms.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiohttp import BytesPayload


class JsonSession(AiohttpSession):
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
