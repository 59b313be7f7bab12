"""Topics browsing, free-text questions, urgent cards, /kb_reload."""

from __future__ import annotations

import logging
from datetime import date
from html import escape

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Translator
from bot.knowledge import keyboards as kb
from bot.knowledge import render
from bot.knowledge.callbacks import KbAction, KbCb
from bot.knowledge.gaps import RETENTION_DAYS, GapRepo
from bot.knowledge.service import KnowledgeBase
from bot.menu.callbacks import Area, MenuCb
from bot.menu.commands import set_chat_commands
from bot.menu.keyboards import back_home
from bot.menu.screens import show
from bot.places import city
from bot.users.repo import User, UserRepo
from bot.users.roles import Role

log = logging.getLogger(__name__)


def country_of(user: User | None) -> str | None:
    """The country of the user's chosen city (emergency numbers differ): None when no city is set."""
    place = city(user.city) if user is not None else None
    return place.country if place is not None else None


async def answer_question(
    event: Message | CallbackQuery,
    text: str,
    locale: str,
    knowledge: KnowledgeBase,
    t: Translator,
    country: str | None = None,
    gaps: GapRepo | None = None,
    today: date | None = None,
) -> None:
    """Answer a question exactly as free text is answered (also used by the complaints feature)."""
    answer = knowledge.answer(text, interface=locale)
    switch_to = answer.lang if answer.lang != locale else None
    content = knowledge.content
    emergency = content.emergency_for(country)
    if answer.urgent is not None:
        card = render.urgent_card(t, locale, answer.urgent, emergency)
        await _send(event, card, kb.urgent(t, locale, answer.urgent))
        if answer.urgent_sure or answer.best is None or answer.best.topic not in content.topics:
            return
        # Unsure: the urgent card first, then the calm answer (it keeps the "happening now" button).
        topic = content.topics[answer.best.topic]
        await _send_new(
            event,
            render.topic_card(t, locale, topic, emergency),
            kb.topic(t, locale, topic, near_emergency=True),
        )
        return
    if answer.small_talk:
        await _send(event, t(locale, "kb-small-talk"), kb.not_found(t, locale))
        return
    if answer.about_bot:
        await _send(event, t(locale, "kb-about-bot"), kb.not_found(t, locale))
        return
    if answer.best is None:
        if gaps is not None and today is not None:
            reason = answer.verdict.reason if answer.verdict else "no-match"
            await gaps.record(text, answer.lang, reason, today)
        await _send(event, t(locale, "kb-not-found"), kb.not_found(t, locale, switch_to))
        return
    if answer.clarify:
        options = [content.topics[hit.topic] for hit in answer.results[:3]]
        await _send(event, t(locale, "kb-clarify"), kb.clarify(t, locale, options))
        return
    topic = content.topics[answer.best.topic]
    alternatives = [content.topics[hit.topic] for hit in answer.results[1:3]]
    body = render.topic_card(t, locale, topic, emergency)
    if alternatives:
        body += "\n\n" + t(locale, "kb-alternatives")
    if switch_to:
        body += "\n\n" + t(switch_to, "kb-offer-language")
    near = knowledge.card_for_topic(topic.id) is not None
    await _send(event, body, kb.topic(t, locale, topic, alternatives, switch_to, near_emergency=near))


async def _send(event: Message | CallbackQuery, text: str, markup: object) -> None:
    if isinstance(event, Message):
        await event.answer(text, reply_markup=markup)  # type: ignore[arg-type]
    else:
        await show(event, text, markup)  # type: ignore[arg-type]


async def _send_new(event: Message | CallbackQuery, text: str, markup: object) -> None:
    """A second message after the first (never an edit of it)."""
    if isinstance(event, Message):
        await event.answer(text, reply_markup=markup)  # type: ignore[arg-type]
    elif event.bot is not None:
        await event.bot.send_message(event.from_user.id, text, reply_markup=markup)  # type: ignore[arg-type]


def create_router() -> Router:
    router = Router(name="knowledge")
    router.message.filter(F.chat.type == "private")
    router.callback_query.filter(F.message.chat.type == "private")

    @router.callback_query(MenuCb.filter(F.area == Area.ASK))
    async def ask(query: CallbackQuery, t: Translator, locale: str) -> None:
        await show(query, t(locale, "kb-ask-prompt"), back_home(t, locale))

    @router.callback_query(MenuCb.filter(F.area == Area.TOPICS))
    async def topics_area(query: CallbackQuery, t: Translator, locale: str, knowledge: KnowledgeBase) -> None:
        await show(query, t(locale, "kb-categories-title"), kb.categories(t, locale, knowledge.content))

    @router.message(Command("topics"))
    async def topics_command(message: Message, t: Translator, locale: str, knowledge: KnowledgeBase) -> None:
        await message.answer(
            t(locale, "kb-categories-title"), reply_markup=kb.categories(t, locale, knowledge.content)
        )

    @router.message(Command("kb_reload"))
    async def reload(
        message: Message, t: Translator, locale: str, settings: Settings, knowledge: KnowledgeBase
    ) -> None:
        if message.from_user is None or not settings.is_admin(message.from_user.id):
            await message.answer(t(locale, "not-allowed"))
            return
        problems = await knowledge.reload_async()  # trains in a thread: the bot keeps answering
        if problems:
            await message.answer(t(locale, "kb-reload-failed", problems="\n".join(problems[:20])))
        else:
            await message.answer(t(locale, "kb-reloaded", topics=len(knowledge.content.topics)))

    @router.callback_query(KbCb.filter())
    async def browse(
        query: CallbackQuery,
        callback_data: KbCb,
        t: Translator,
        locale: str,
        knowledge: KnowledgeBase,
        users: UserRepo,
        user: User | None,
        bot: Bot,
        roles: frozenset[Role],
    ) -> None:
        content = knowledge.content
        action, value = callback_data.action, callback_data.value
        if not callback_data.in_bounds():
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        if action is KbAction.SWITCH:
            if callback_data.lang not in t.locales or user is None:
                await query.answer(t(locale, "button-expired"), show_alert=True)
                return
            locale = callback_data.lang
            await users.set_locale(user.id, locale)
            await set_chat_commands(bot, t, user.id, locale, roles)
            if not value:
                await show(query, t(locale, "kb-ask-prompt"), back_home(t, locale))
                return
            action = KbAction.TOPIC
        if action is KbAction.CATEGORIES:
            await show(query, t(locale, "kb-categories-title"), kb.categories(t, locale, content))
            return
        if action is KbAction.CATEGORY:
            category = next((c for c in content.categories if c.id == value), None)
            topics = content.in_category(value)
            page = callback_data.page
            if category is None or not topics or not 0 <= page < kb.pages(len(topics)):
                await query.answer(t(locale, "button-expired"), show_alert=True)
                return
            title = t(locale, "kb-category-title", category=category.titles[locale])
            if kb.pages(len(topics)) > 1:
                title += "\n" + t(locale, "kb-page", page=page + 1, pages=kb.pages(len(topics)))
            await show(query, title, kb.category(t, locale, topics, value, page))
            return
        topic = content.topics.get(value)
        if topic is None:  # forged, or a topic removed since the button was sent
            await query.answer(t(locale, "button-expired"), show_alert=True)
            return
        if action is KbAction.TOPIC:
            near = knowledge.card_for_topic(topic.id) is not None
            card = render.topic_card(t, locale, topic, content.emergency_for(country_of(user)))
            await show(query, card, kb.topic(t, locale, topic, near_emergency=near))
        elif action is KbAction.DETAILS:
            await show(query, render.topic_details(t, locale, topic), kb.back_to_topic(t, locale, topic))
        elif action is KbAction.SOURCES:
            await show(query, render.topic_sources(t, locale, topic), kb.back_to_topic(t, locale, topic))
        elif action is KbAction.NOW:
            card = knowledge.card_for_topic(topic.id)
            if card is None:
                await query.answer(t(locale, "button-expired"), show_alert=True)
                return
            await show(query, render.urgent_card(t, locale, card), kb.urgent(t, locale, card))
        elif action is KbAction.RELATED:
            related = [content.topics[r] for r in topic.related if r in content.topics]
            await show(query, t(locale, "kb-related-title"), kb.back_to_topic(t, locale, topic, related))

    # Any text outside a form (no FSM state) is a question; commands are left to the fallback.
    @router.message(StateFilter(None), F.text, ~F.text.startswith("/"))
    async def question(
        message: Message,
        t: Translator,
        locale: str,
        knowledge: KnowledgeBase,
        user: User | None,
        kb_gaps: GapRepo,
        clock: Clock,
    ) -> None:
        await answer_question(
            message,
            message.text or "",
            locale,
            knowledge,
            t,
            country_of(user),
            gaps=kb_gaps,
            today=clock.now().date(),
        )

    @router.message(Command("kb_gaps"))
    async def gaps_command(
        message: Message, t: Translator, locale: str, kb_gaps: GapRepo, clock: Clock, roles: frozenset[Role]
    ) -> None:
        if not roles & {Role.STAFF, Role.ADMIN}:
            await message.answer(t(locale, "not-allowed"))
            return
        top = await kb_gaps.top(clock.now().date(), limit=20)
        if not top:
            await message.answer(t(locale, "kb-gaps-empty"))
            return
        lines = [f"{gap.count} × [{gap.lang}] {escape(gap.text)}" for gap in top]
        await message.answer(t(locale, "kb-gaps-title", days=RETENTION_DAYS) + "\n" + "\n".join(lines))

    return router
