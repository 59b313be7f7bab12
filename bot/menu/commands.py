"""The bot's command menu in each language (setMyCommands), texts from locales."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.i18n import Translator
from bot.users.roles import Role

# Commands everyone sees; staff commands appear only in staff members' own chats, operators' commands
# only in the operators' group.
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


STAFF_COMMANDS: tuple[str, ...] = ("broadcast", "broadcasts", "event_new", "events_admin")
ADMIN_COMMANDS: tuple[str, ...] = ("kb_reload",)
OPERATOR_GROUP_COMMANDS: tuple[str, ...] = ("queue", "case", "stats", "export")


def commands_for(t: Translator, locale: str, names: Sequence[str] = PUBLIC_COMMANDS) -> list[BotCommand]:
    return [
        BotCommand(command=name, description=t(locale, f"cmd-{name.replace('_', '-')}")) for name in names
    ]


async def set_default_commands(bot: Bot, t: Translator, default_locale: str) -> None:
    for locale in t.locales:
        await bot.set_my_commands(
            commands_for(t, locale), scope=BotCommandScopeDefault(), language_code=locale
        )
    await bot.set_my_commands(commands_for(t, default_locale), scope=BotCommandScopeDefault())


async def set_chat_commands(
    bot: Bot, t: Translator, chat_id: int, locale: str, roles: Collection[Role] = ()
) -> None:
    """Telegram picks menus by the app's language; a person who chose ours gets theirs in their chat,
    with the commands of their role."""
    names = list(PUBLIC_COMMANDS)
    if Role.STAFF in roles:
        names += STAFF_COMMANDS
    if Role.ADMIN in roles:
        names += ADMIN_COMMANDS
    await bot.set_my_commands(commands_for(t, locale, names), scope=BotCommandScopeChat(chat_id=chat_id))


async def set_group_commands(bot: Bot, t: Translator, chat_id: int, locale: str) -> None:
    """The operators' group sees only the queue commands."""
    await bot.set_my_commands(
        commands_for(t, locale, OPERATOR_GROUP_COMMANDS), scope=BotCommandScopeChat(chat_id=chat_id)
    )
