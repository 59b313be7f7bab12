"""Inline keyboards of the foundation's screens (texts from locales)."""

from __future__ import annotations

from functools import lru_cache

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Translator
from bot.menu.callbacks import Area, LangCb, MenuCb, SettingsAction, SettingsCb
from bot.places import CITIES
from bot.telegram.json_session import shared


def language_keyboard() -> InlineKeyboardMarkup:
    # Each language's name in itself, so anyone can find theirs.
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="🇰🇬 Кыргызча", callback_data=LangCb(code="ky").pack()),
                InlineKeyboardButton(text="🇷🇺 Русский", callback_data=LangCb(code="ru").pack()),
            ]
        ]
    )


def home_button(t: Translator, locale: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=t(locale, "btn-home"), callback_data=MenuCb(area=Area.HOME).pack())


def home_row(t: Translator, locale: str) -> list[InlineKeyboardButton]:
    return [home_button(t, locale)]


def main_menu(t: Translator, locale: str) -> InlineKeyboardMarkup:
    """The main menu in `locale`. It goes out with nearly every answer, so it is built once per
    translator and language (and sent as JSON prepared once, bot/telegram/json_session.py) and the same
    object is returned each time: do not modify it."""
    return _main_menu(t, locale)


@lru_cache(maxsize=16)
def _main_menu(t: Translator, locale: str) -> InlineKeyboardMarkup:
    # Built directly: InlineKeyboardBuilder deep-copies every button several times.
    def button(area: Area, key: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=t(locale, key), callback_data=MenuCb(area=area).pack())

    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [button(Area.ASK, "btn-ask")],
            [button(Area.TOPICS, "btn-topics"), button(Area.EVENTS, "btn-events")],
            [button(Area.COMPLAIN, "btn-complain"), button(Area.MY_COMPLAINTS, "btn-my-complaints")],
            [button(Area.SETTINGS, "btn-settings"), button(Area.ABOUT, "btn-about")],
        ]
    )
    return shared(markup)


def back_home(t: Translator, locale: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[home_row(t, locale)])


def settings_keyboard(t: Translator, locale: str, subscribed: bool) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    b.button(text=t(locale, "btn-language"), callback_data=SettingsCb(action=SettingsAction.LANGUAGE))
    b.button(
        text=t(locale, "btn-notify-off" if subscribed else "btn-notify-on"),
        callback_data=SettingsCb(action=SettingsAction.NOTIFY, value="0" if subscribed else "1"),
    )
    b.button(text=t(locale, "btn-city"), callback_data=SettingsCb(action=SettingsAction.CITY))
    b.button(
        text=t(locale, "btn-event-notices"), callback_data=SettingsCb(action=SettingsAction.EVENT_NOTICES)
    )
    b.button(text=t(locale, "btn-forget"), callback_data=SettingsCb(action=SettingsAction.FORGET))
    b.adjust(1)
    b.row(home_button(t, locale))
    return b.as_markup()


def city_keyboard(t: Translator, locale: str) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for c in CITIES:
        b.button(
            text=t(locale, f"city-{c.key}"),
            callback_data=SettingsCb(action=SettingsAction.SET_CITY, value=c.key),
        )
    b.adjust(2)
    b.row(
        InlineKeyboardButton(text=t(locale, "btn-back"), callback_data=MenuCb(area=Area.SETTINGS).pack()),
        home_button(t, locale),
    )
    return b.as_markup()


def forget_confirm_keyboard(t: Translator, locale: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t(locale, "btn-forget-yes"),
                    callback_data=SettingsCb(action=SettingsAction.FORGET_YES).pack(),
                )
            ],
            [
                InlineKeyboardButton(
                    text=t(locale, "btn-back"), callback_data=MenuCb(area=Area.SETTINGS).pack()
                )
            ],
        ]
    )
