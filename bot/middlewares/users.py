"""Load or create the user on every update and decide the interface language and roles; in the
embedded mode also drop an update delivered twice (its id is claimed in the same transaction)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update, User

from bot.config import Settings
from bot.i18n import pick_locale
from bot.middlewares.throttling import KnownLocales
from bot.users.repo import Touch, UserRepo
from bot.users.roles import roles_of

log = logging.getLogger(__name__)


class UserMiddleware(BaseMiddleware):
    """`dedupe`: claim the update id in the database (bot/middlewares/dedupe.py explains why) in the
    same transaction as the user's row, so a repeated update is dropped before anything else is written.
    Without it (shared mode: Redis claims update ids first) only the user row is written."""

    def __init__(
        self,
        users: UserRepo,
        settings: Settings,
        locales: KnownLocales | None = None,
        *,
        dedupe: bool = False,
    ) -> None:
        self._users = users
        self._settings = settings
        self._locales = locales  # remembered for flood control's "slow down"
        self._dedupe = dedupe

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        update_id = event.update_id if self._dedupe and isinstance(event, Update) else None
        tg_user: User | None = data.get("event_from_user")
        chat = data.get("event_chat")
        roles = roles_of(tg_user.id, self._settings) if tg_user else frozenset()
        data["roles"] = roles
        # Only people who write to the bot privately become users (group members stay unrecorded).
        private = tg_user is not None and not tg_user.is_bot and (chat is None or chat.type == "private")
        touch = Touch(tg_user.id, tg_user.language_code, ",".join(sorted(roles))) if private else None
        if update_id is not None or touch is not None:
            first, user = await self._users.admit(update_id, touch)
            if not first:
                log.info("update %d already processed; dropped", update_id)
                return None
        else:
            user = None
        if tg_user is None or tg_user.is_bot:
            data["locale"] = self._settings.default_locale
            data["user"] = None
            return await handler(event, data)
        if not private:
            user = await self._users.get(tg_user.id)
        data["user"] = user
        data["locale"] = pick_locale(
            user.locale if user else None, tg_user.language_code, self._settings.default_locale
        )
        if self._locales is not None:
            self._locales.remember(tg_user.id, data["locale"])
        return await handler(event, data)
