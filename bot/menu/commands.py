"""The bot's command menu in each language (setMyCommands), texts from locales."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.i18n import Translator

# Commands everyone sees; staff and operator commands are deliberately not listed.
PUBLIC_COMMANDS: tuple[str, ...] = (
    "start",
    "menu",
    "topics",
    "events",
    "complaint",
    "my_complaints",
    "settings",
    "language",
    "help",
    "forget",
)


def commands_for(t: Translator, locale: str) -> list[BotCommand]:
    return [
        BotCommand(command=name, description=t(locale, f"cmd-{name.replace('_', '-')}"))
        for name in PUBLIC_COMMANDS
    ]


async def set_default_commands(bot: Bot, t: Translator, default_locale: str) -> None:
    for locale in t.locales:
        await bot.set_my_commands(
            commands_for(t, locale), scope=BotCommandScopeDefault(), language_code=locale
        )
    await bot.set_my_commands(commands_for(t, default_locale), scope=BotCommandScopeDefault())


async def set_chat_commands(bot: Bot, t: Translator, chat_id: int, locale: str) -> None:
    """Telegram picks menus by the app's language; a person who chose ours gets theirs in their chat."""
    await bot.set_my_commands(commands_for(t, locale), scope=BotCommandScopeChat(chat_id=chat_id))
