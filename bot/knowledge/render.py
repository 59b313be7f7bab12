"""Texts of the knowledge screens (HTML): content is escaped here, labels come from the locales."""

from __future__ import annotations

from html import escape

from babel.dates import format_date

from bot.i18n import Translator
from bot.knowledge.content import Topic, UrgentCard


def _date(topic: Topic, locale: str) -> str:
    return format_date(topic.reviewed, "dd.MM.yyyy", locale=locale)


def topic_card(t: Translator, locale: str, topic: Topic) -> str:
    text = topic.text(locale)
    parts = [f"<b>{escape(text.title)}</b>", escape(text.short)]
    steps = "\n".join(f"{n}. {escape(step)}" for n, step in enumerate(text.steps, 1))
    parts.append(f"<b>{t(locale, 'kb-steps-title')}</b>\n{steps}")
    if text.caveats:
        caveats = "\n".join(f"• {escape(c)}" for c in text.caveats)
        parts.append(f"{t(locale, 'kb-caveats-title')}\n{caveats}")
    parts.append(t(locale, "kb-footer", date=_date(topic, locale)))
    return "\n\n".join(parts)


def topic_details(t: Translator, locale: str, topic: Topic) -> str:
    text = topic.text(locale)
    parts = [f"<b>{escape(text.title)}</b> — {t(locale, 'kb-details-title')}"]
    parts.append(escape(text.details) if text.details else t(locale, "kb-no-details"))
    if text.legal_basis:
        basis = "\n".join(f"• {escape(item)}" for item in text.legal_basis)
        parts.append(f"<b>{t(locale, 'kb-legal-basis-title')}</b>\n{basis}")
    parts.append(t(locale, "kb-footer", date=_date(topic, locale)))
    return "\n\n".join(parts)


def topic_sources(t: Translator, locale: str, topic: Topic) -> str:
    lines = []
    for source in topic.sources:
        if source.url:
            lines.append(f'• <a href="{escape(source.url, quote=True)}">{escape(source.title)}</a>')
        else:
            lines.append(f"• {escape(source.site or '')}: {escape(source.title)}")
    title = escape(topic.text(locale).title)
    header = t(locale, "kb-sources-title", as_of=topic.sources_as_of)
    return (
        f"<b>{title}</b>\n\n{header}\n"
        + "\n".join(lines)
        + "\n\n"
        + t(locale, "kb-footer", date=_date(topic, locale))
    )


def urgent_card(t: Translator, locale: str, card: UrgentCard) -> str:
    text = card.texts.get(locale) or card.texts["ru"]
    steps = "\n".join(f"{n}. {escape(step)}" for n, step in enumerate(text.steps, 1))
    return "\n\n".join(
        (f"<b>{escape(text.title)}</b>", escape(text.body), steps, t(locale, "kb-urgent-footer"))
    )
