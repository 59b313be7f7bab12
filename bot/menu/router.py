"""Start, language, main menu, help, settings, about, /forget."""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.i18n import Translator
from bot.menu import keyboards as kb
from bot.menu.callbacks import Area, LangCb, MenuCb, SettingsAction, SettingsCb
from bot.menu.commands import set_chat_commands
from bot.menu.screens import show
from bot.places import CITY_BY_KEY
from bot.users.privacy import DataEraser
from bot.users.repo import User, UserRepo
from bot.users.roles import Role

log = logging.getLogger(__name__)


def create_router() -> Router:
    router = Router(name="menu")
    router.message.filter(F.chat.type == "private")
    router.callback_query.filter(F.message.chat.type == "private")

    @router.message(CommandStart())
    async def start(
        message: Message, state: FSMContext, t: Translator, locale: str, user: User | None
    ) -> None:
        await state.clear()
        if user is None or not user.has_chosen_language:
            # Asked even when Telegram says "ru": most Kyrgyz speakers run Telegram in Russian.
            await message.answer(t("ky", "lang-choose"), reply_markup=kb.language_keyboard())
            return
        await message.answer(t(locale, "welcome-back"), reply_markup=kb.main_menu(t, locale))

    @router.message(Command("language"))
    async def language_command(message: Message, t: Translator) -> None:
        await message.answer(t("ky", "lang-choose"), reply_markup=kb.language_keyboard())

    @router.callback_query(LangCb.filter())
    async def language_chosen(
        query: CallbackQuery,
        callback_data: LangCb,
        t: Translator,
        users: UserRepo,
        user: User | None,
        bot: Bot,
        roles: frozenset[Role],
    ) -> None:
        if callback_data.code not in t.locales or user is None:
            await query.answer(t("ky", "button-expired"), show_alert=True)
            return
        first_time = not user.has_chosen_language
        locale = callback_data.code
        await users.set_locale(user.id, locale)
        try:
            await set_chat_commands(bot, t, user.id, locale, roles)
        except TelegramAPIError as exc:  # the menu of commands is a nicety; never block the user on it
            log.warning("could not set chat commands: %s", exc.message)
        text = t(locale, "welcome" if first_time else "lang-changed")
        await show(query, text, kb.main_menu(t, locale))

    @router.message(Command("menu"))
    async def menu_command(message: Message, state: FSMContext, t: Translator, locale: str) -> None:
        await state.clear()
        await message.answer(t(locale, "menu-title"), reply_markup=kb.main_menu(t, locale))

    @router.callback_query(MenuCb.filter(F.area == Area.HOME))
    async def home(query: CallbackQuery, state: FSMContext, t: Translator, locale: str) -> None:
        await state.clear()
        await show(query, t(locale, "menu-title"), kb.main_menu(t, locale))

    @router.message(Command("help"))
    async def help_command(message: Message, t: Translator, locale: str) -> None:
        await message.answer(t(locale, "help"), reply_markup=kb.main_menu(t, locale))

    @router.callback_query(MenuCb.filter(F.area == Area.ABOUT))
    async def about(query: CallbackQuery, t: Translator, locale: str) -> None:
        await show(query, t(locale, "about"), kb.back_home(t, locale))

    async def settings_screen(event: Message | CallbackQuery, t: Translator, locale: str, user: User) -> None:
        place = CITY_BY_KEY.get(user.city or "")
        text = t(
            locale,
            "settings-title",
            language=t(locale, f"lang-name-{locale}"),
            notify="yes" if user.subscribed else "no",
            city=t(locale, f"city-{place.key}") if place else t(locale, "city-none"),
        )
        await show(event, text, kb.settings_keyboard(t, locale, user.subscribed))

    @router.message(Command("settings"))
    async def settings_command(message: Message, t: Translator, locale: str, user: User) -> None:
        await settings_screen(message, t, locale, user)

    @router.callback_query(MenuCb.filter(F.area == Area.SETTINGS))
    async def settings_button(query: CallbackQuery, t: Translator, locale: str, user: User) -> None:
        await settings_screen(query, t, locale, user)

    @router.callback_query(SettingsCb.filter(F.action == SettingsAction.LANGUAGE))
    async def settings_language(query: CallbackQuery, t: Translator) -> None:
        await show(query, t("ky", "lang-choose"), kb.language_keyboard())

    @router.callback_query(SettingsCb.filter(F.action == SettingsAction.NOTIFY))
    async def settings_notify(
        query: CallbackQuery,
        callback_data: SettingsCb,
        t: Translator,
        locale: str,
        user: User,
        users: UserRepo,
    ) -> None:
        await users.set_subscribed(user.id, callback_data.value == "1")
        refreshed = await users.get(user.id)
        await settings_screen(query, t, locale, refreshed or user)

    @router.callback_query(SettingsCb.filter(F.action == SettingsAction.CITY))
    async def settings_city(query: CallbackQuery, t: Translator, locale: str) -> None:
        await show(query, t(locale, "city-choose"), kb.city_keyboard(t, locale))

    @router.callback_query(SettingsCb.filter(F.action == SettingsAction.SET_CITY))
    async def settings_set_city(
        query: CallbackQuery,
        callback_data: SettingsCb,
        t: Translator,
        locale: str,
        user: User,
        users: UserRepo,
    ) -> None:
        place = CITY_BY_KEY.get(callback_data.value)
        if place is None:  # forged or outdated button
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        await users.set_place(user.id, place.key, place.timezone)
        refreshed = await users.get(user.id)
        await settings_screen(query, t, locale, refreshed or user)

    @router.message(Command("forget"))
    async def forget_command(message: Message, t: Translator, locale: str) -> None:
        await message.answer(t(locale, "forget-confirm"), reply_markup=kb.forget_confirm_keyboard(t, locale))

    @router.callback_query(SettingsCb.filter(F.action == SettingsAction.FORGET))
    async def forget_button(query: CallbackQuery, t: Translator, locale: str) -> None:
        await show(query, t(locale, "forget-confirm"), kb.forget_confirm_keyboard(t, locale))

    @router.callback_query(SettingsCb.filter(F.action == SettingsAction.FORGET_YES))
    async def forget_yes(
        query: CallbackQuery, state: FSMContext, t: Translator, locale: str, user: User, eraser: DataEraser
    ) -> None:
        await state.clear()
        await eraser.erase(user.id)
        await show(query, t(locale, "forget-done"))

    return router
