"""Inline keyboards of the knowledge screens."""

from __future__ import annotations

import math

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Translator
from bot.knowledge.callbacks import KbAction, KbCb
from bot.knowledge.content import Content, Topic, UrgentCard
from bot.menu.callbacks import ComplainCb
from bot.menu.keyboards import home_button

PAGE_SIZE = 8


def _button(
    text: str, action: KbAction, value: str = "", page: int = 0, lang: str = ""
) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=KbCb(action=action, value=value, page=page, lang=lang).pack()
    )


def categories(t: Translator, locale: str, content: Content) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for category in content.categories:
        if content.in_category(category.id):
            b.row(
                _button(f"{category.emoji} {category.titles[locale]}".strip(), KbAction.CATEGORY, category.id)
            )
    b.row(home_button(t, locale))
    return b.as_markup()


def pages(count: int) -> int:
    return max(1, math.ceil(count / PAGE_SIZE))


def category(
    t: Translator, locale: str, topics: list[Topic], category_id: str, page: int
) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for topic in topics[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]:
        b.row(_button(topic.text(locale).title, KbAction.TOPIC, topic.id))
    total = pages(len(topics))
    if total > 1:
        nav = []
        if page > 0:
            nav.append(_button(t(locale, "kb-btn-prev"), KbAction.CATEGORY, category_id, page - 1))
        if page < total - 1:
            nav.append(_button(t(locale, "kb-btn-next"), KbAction.CATEGORY, category_id, page + 1))
        b.row(*nav)
    b.row(_button(t(locale, "btn-back"), KbAction.CATEGORIES), home_button(t, locale))
    return b.as_markup()


def topic(
    t: Translator,
    locale: str,
    item: Topic,
    alternatives: list[Topic] = (),  # type: ignore[assignment]
    switch_to: str | None = None,
    near_emergency: bool = False,
) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    if near_emergency:  # the safety net: one tap from a calm answer to the urgent card
        b.row(_button(t(locale, "kb-btn-happening-now"), KbAction.NOW, item.id))
    for other in alternatives:
        b.row(_button(f"↪️ {other.text(locale).title}", KbAction.TOPIC, other.id))
    b.row(
        _button(t(locale, "kb-btn-details"), KbAction.DETAILS, item.id),
        _button(t(locale, "kb-btn-sources"), KbAction.SOURCES, item.id),
    )
    if item.related:
        b.row(_button(t(locale, "kb-btn-related"), KbAction.RELATED, item.id))
    b.row(
        InlineKeyboardButton(
            text=t(locale, "kb-btn-ask-person"), callback_data=ComplainCb(topic=item.id).pack()
        )
    )
    if switch_to:
        b.row(_button(t(switch_to, "kb-btn-switch-language"), KbAction.SWITCH, item.id, lang=switch_to))
    b.row(_button(t(locale, "kb-btn-topics"), KbAction.CATEGORIES), home_button(t, locale))
    return b.as_markup()


def back_to_topic(t: Translator, locale: str, item: Topic, related: list[Topic] = ()) -> InlineKeyboardMarkup:  # type: ignore[assignment]
    b = InlineKeyboardBuilder()
    for other in related:
        b.row(_button(other.text(locale).title, KbAction.TOPIC, other.id))
    b.row(_button(t(locale, "kb-btn-back-topic"), KbAction.TOPIC, item.id), home_button(t, locale))
    return b.as_markup()


def urgent(t: Translator, locale: str, card: UrgentCard) -> InlineKeyboardMarkup:
    complain = ComplainCb(urgent=True, category=card.complaint_category, topic=card.topic)
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=t(locale, "kb-btn-urgent-complaint"), callback_data=complain.pack())],
            [_button(t(locale, "kb-btn-topic"), KbAction.TOPIC, card.topic)],
            [home_button(t, locale)],
        ]
    )


def not_found(t: Translator, locale: str, switch_to: str | None = None) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    b.row(_button(t(locale, "kb-btn-topics"), KbAction.CATEGORIES))
    b.row(InlineKeyboardButton(text=t(locale, "kb-btn-ask-person"), callback_data=ComplainCb().pack()))
    if switch_to:
        b.row(_button(t(switch_to, "kb-btn-switch-language"), KbAction.SWITCH, lang=switch_to))
    b.row(home_button(t, locale))
    return b.as_markup()


def clarify(t: Translator, locale: str, options: list[Topic]) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for option in options:
        b.row(_button(option.text(locale).title, KbAction.TOPIC, option.id))
    b.row(InlineKeyboardButton(text=t(locale, "kb-btn-ask-person"), callback_data=ComplainCb().pack()))
    b.row(_button(t(locale, "kb-btn-topics"), KbAction.CATEGORIES), home_button(t, locale))
    return b.as_markup()
