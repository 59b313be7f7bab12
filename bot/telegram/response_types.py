"""Keep aiogram's parsed-answer models alive between calls.

aiogram parses every Bot API answer as `Response[<the method's result type>]`. pydantic caches such
parametrised models only weakly, so the garbage collector keeps dropping them and the next call builds
the model again, schema and all (~5 ms; measured at ~16 % of the time spent on an update). Holding one
reference per result type here turns `Response[...]` into a cache hit; the types are few (one per kind of
result: Message, bool, list[Update], ...).
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType


class KeepResponseTypes(BaseRequestMiddleware):
    def __init__(self) -> None:
        self._kept: dict[Any, Any] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        returning = method.__returning__
        if returning not in self._kept:
            self._kept[returning] = Response[returning]  # type: ignore[valid-type]
        return await make_request(bot, method)
