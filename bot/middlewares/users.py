"""Load or create the user on every update and decide the interface language and roles."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from bot.config import Settings
from bot.i18n import pick_locale
from bot.middlewares.throttling import KnownLocales
from bot.users.repo import UserRepo
from bot.users.roles import roles_of


class UserMiddleware(BaseMiddleware):
    def __init__(self, users: UserRepo, settings: Settings, locales: KnownLocales | None = None) -> None:
        self._users = users
        self._settings = settings
        self._locales = locales  # remembered for flood control's "slow down"

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        tg_user: User | None = data.get("event_from_user")
        chat = data.get("event_chat")
        roles = roles_of(tg_user.id, self._settings) if tg_user else frozenset()
        data["roles"] = roles
        if tg_user is None or tg_user.is_bot:
            data["locale"] = self._settings.default_locale
            data["user"] = None
            return await handler(event, data)
        # Only people who write to the bot privately become users (group members stay unrecorded).
        if chat is None or chat.type == "private":
            user = await self._users.touch(tg_user.id, tg_user.language_code, ",".join(sorted(roles)))
        else:
            user = await self._users.get(tg_user.id)
        data["user"] = user
        data["locale"] = pick_locale(
            user.locale if user else None, tg_user.language_code, self._settings.default_locale
        )
        if self._locales is not None:
            self._locales.remember(tg_user.id, data["locale"])
        return await handler(event, data)
