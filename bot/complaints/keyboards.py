"""Inline keyboards of the complaint screens."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.complaints.callbacks import IntakeCb, MineCb, OpCb
from bot.complaints.models import (
    CATEGORIES,
    COUNTRIES,
    INSTITUTIONS,
    OPERATOR_STATUSES,
    REOPENABLE,
    Case,
)
from bot.i18n import Translator
from bot.menu.keyboards import home_button

BUTTON_LIMIT = 40  # longer labels are cut by Telegram clients mid-word on narrow phones


def label(text: str, limit: int = BUTTON_LIMIT) -> str:
    """Shorten at a word boundary with "…" (a single over-long word is cut, still with "…")."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    head = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return head.rstrip(" ,.;:·-—(") + "…"


def _b(text: str, step: str, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=label(text), callback_data=IntakeCb(step=step, value=value).pack())


def _op(text: str, action: str, case: Case, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=label(text),
        callback_data=OpCb(action=action, case=case.id, value=value).pack(),  # type: ignore[arg-type]
    )


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
                    text=label(t(locale, "cp-btn-withdraw", number=case.number)),
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
                text=label(t(locale, "cp-btn-add-to-case", number=case.number)),
                callback_data=MineCb(action="add", case=case.id).pack(),
            )
        )
    b.row(
        InlineKeyboardButton(
            text=label(t(locale, "cp-btn-ask-bot")), callback_data=MineCb(action="bot").pack()
        )
    )
    return b.as_markup()


def card(t: Translator, locale: str, case: Case) -> InlineKeyboardMarkup:
    if not case.is_open:  # closed or rejected: only reopening; withdrawn by the migrant: nothing
        rows = [[_op(t(locale, "cp-op-btn-reopen"), "reopen", case)]] if case.status in REOPENABLE else []
        return InlineKeyboardMarkup(inline_keyboard=rows)
    rows = [
        [_op(t(locale, "cp-op-btn-take"), "take", case)],
        [_op(t(locale, "cp-op-btn-status"), "status", case), _op(t(locale, "cp-op-btn-note"), "note", case)],
        [_op(t(locale, "cp-op-btn-transfer"), "transfer", case)],
    ]
    if not case.erased:  # nobody to write to after /forget
        rows[0].append(_op(t(locale, "cp-op-btn-reply"), "reply", case))
        rows.insert(1, [_op(t(locale, "cp-op-btn-ask"), "ask", case)])
    if not case.urgent:
        rows[-1].append(_op(t(locale, "cp-op-btn-urgent"), "urgent", case))
    return InlineKeyboardMarkup(inline_keyboard=rows)


def institutions(t: Translator, locale: str, case: Case) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_op(t(locale, f"cp-op-btn-institution-{code}"), "move", case, code)]
            for code in INSTITUTIONS
            if code != case.institution
        ]
    )


def statuses(t: Translator, locale: str, case: Case) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for status in OPERATOR_STATUSES:
        if status != case.status:
            b.row(_op(t(locale, f"cp-status-{status}"), "set", case, status))  # one a row: none cut
    return b.as_markup()


def preview(t: Translator, locale: str, case: Case, nonce: str) -> InlineKeyboardMarkup:
    """Under "Send to case № N: <text>": nothing is sent until Send is pressed on this very preview."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _op(t(locale, "cp-op-btn-send"), "send", case, nonce),
                _op(t(locale, "cp-op-btn-edit"), "edit", case, nonce),
                _op(t(locale, "cp-op-btn-cancel"), "cancel", case, nonce),
            ]
        ]
    )
