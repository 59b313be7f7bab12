"""Inline keyboards of the complaint screens."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.complaints.callbacks import IntakeCb, MineCb, OpCb
from bot.complaints.models import CATEGORIES, COUNTRIES, INSTITUTIONS, OPERATOR_STATUSES, Case
from bot.i18n import Translator
from bot.menu.keyboards import home_button


def _b(text: str, step: str, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=IntakeCb(step=step, value=value).pack())


def _nav(t: Translator, locale: str, back: bool = True) -> list[InlineKeyboardButton]:
    row = [_b(t(locale, "cp-btn-back"), "back")] if back else []
    return [*row, _b(t(locale, "cp-btn-cancel"), "cancel")]


def countries(t: Translator, locale: str) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for code in COUNTRIES:
        b.add(_b(t(locale, f"cp-country-{code}"), "country", code))
    b.adjust(2)
    b.row(*_nav(t, locale, back=False))
    return b.as_markup()


def skip(t: Translator, locale: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_b(t(locale, "cp-btn-skip"), "skip")], _nav(t, locale)])


def categories(t: Translator, locale: str) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for code in CATEGORIES:
        b.row(_b(t(locale, f"cp-category-{code}"), "category", code))
    b.row(*_nav(t, locale))
    return b.as_markup()


def done(t: Translator, locale: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_b(t(locale, "cp-btn-done"), "done")], _nav(t, locale)])


def nav(t: Translator, locale: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[_nav(t, locale)])


def reply_via(t: Translator, locale: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _b(t(locale, "cp-btn-reply-chat"), "via", "chat"),
                _b(t(locale, "cp-btn-reply-phone"), "via", "phone"),
            ],
            _nav(t, locale),
        ]
    )


def name(t: Translator, locale: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[_b(t(locale, "cp-btn-no-name"), "noname")], _nav(t, locale)]
    )


def consent(t: Translator, locale: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_b(t(locale, "cp-btn-agree"), "agree")], _nav(t, locale)])


def summary(t: Translator, locale: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_b(t(locale, "cp-btn-send"), "send")],
            [
                _b(t(locale, "cp-btn-edit-place"), "edit", "place"),
                _b(t(locale, "cp-btn-edit-category"), "edit", "category"),
            ],
            [
                _b(t(locale, "cp-btn-edit-description"), "edit", "description"),
                _b(t(locale, "cp-btn-edit-contact"), "edit", "contact"),
            ],
            [_b(t(locale, "cp-btn-cancel"), "cancel")],
        ]
    )


def mine(t: Translator, locale: str, cases: list[Case]) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for case in cases:
        if case.is_open:
            b.row(
                InlineKeyboardButton(
                    text=t(locale, "cp-btn-withdraw", number=case.number),
                    callback_data=MineCb(action="withdraw", case=case.id).pack(),
                )
            )
    b.row(home_button(t, locale))
    return b.as_markup()


def followup(t: Translator, locale: str, cases: list[Case]) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for case in cases:
        b.row(
            InlineKeyboardButton(
                text=t(locale, "cp-btn-add-to-case", number=case.number),
                callback_data=MineCb(action="add", case=case.id).pack(),
            )
        )
    b.row(InlineKeyboardButton(text=t(locale, "cp-btn-ask-bot"), callback_data=MineCb(action="bot").pack()))
    return b.as_markup()


def card(t: Translator, locale: str, case: Case) -> InlineKeyboardMarkup:
    def op(key: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text=t(locale, key), callback_data=OpCb(action=action, case=case.id).pack()
        )

    rows = [
        [op("cp-op-btn-take", "take"), op("cp-op-btn-reply", "reply")],
        [op("cp-op-btn-ask", "ask"), op("cp-op-btn-status", "status")],
        [op("cp-op-btn-note", "note"), op("cp-op-btn-transfer", "transfer")],
    ]
    if not case.urgent:
        rows[1].append(op("cp-op-btn-urgent", "urgent"))
    return InlineKeyboardMarkup(inline_keyboard=rows)


def institutions(t: Translator, locale: str, case: Case) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t(locale, f"cp-institution-{code}"),
                    callback_data=OpCb(action="move", case=case.id, value=code).pack(),
                )
            ]
            for code in INSTITUTIONS
            if code != case.institution
        ]
    )


def statuses(t: Translator, locale: str, case: Case) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for status in OPERATOR_STATUSES:
        if status != case.status:
            b.add(
                InlineKeyboardButton(
                    text=t(locale, f"cp-status-{status}"),
                    callback_data=OpCb(action="set", case=case.id, value=status).pack(),
                )
            )
    b.adjust(2)
    return b.as_markup()
