"""Texts of the knowledge screens (HTML): content is escaped here, labels come from the locales.

Every answer says what is true about its freshness: the day a person checked it against the sources, how
recent the sources are, and — when `kb check` lists the topic as due for review — that it may be out of date.
Cards about danger show the emergency numbers of the person's country (contacts.yaml), with their sources.
"""

from __future__ import annotations

from html import escape

from babel.dates import format_date

from bot.i18n import Translator
from bot.knowledge.content import DATED_FACT, EmergencyCountry, Source, Topic, UrgentCard


def _date(topic: Topic, locale: str) -> str:
    return format_date(topic.reviewed, "dd.MM.yyyy", locale=locale)


def _as_of(value: str) -> str:
    """2026-01 → 01.2026, 2026-01-20 → 20.01.2026, 2026 → 2026."""
    parts = value.split("-")
    return ".".join(reversed(parts))


def _footer(t: Translator, locale: str, topic: Topic) -> str:
    parts = []
    if topic.review_due:
        reasons = []
        for reason in topic.review_due:
            if reason == DATED_FACT and topic.valid_until is not None:
                when = format_date(topic.valid_until, "dd.MM.yyyy", locale=locale)
                reasons.append(t(locale, "kb-review-dated-fact", date=when))
            else:
                reasons.append(t(locale, "kb-review-old-sources"))
        parts.append(t(locale, "kb-review-due", reasons="; ".join(reasons)))
    parts.append(t(locale, "kb-footer", date=_date(topic, locale), as_of=_as_of(topic.sources_as_of)))
    return "\n\n".join(parts)


def _link(source: Source, locale: str, text: str) -> str:
    if source.url:
        return f'<a href="{escape(source.url, quote=True)}">{escape(text)}</a>'
    return escape(text)


def emergency_block(t: Translator, locale: str, countries: tuple[EmergencyCountry, ...]) -> str:
    blocks = []
    if len(countries) > 1:
        blocks.append(t(locale, "kb-emergency-both"))
    for country in countries:
        lines = [f"<b>{t(locale, 'kb-emergency-title', country=escape(country.names[locale]))}</b>"]
        lines += [f"{n.number} — {escape(n.labels[locale])}" for n in country.numbers]
        links = ", ".join(_link(s, locale, s.label) for s in country.sources)
        lines.append(f"<i>{t(locale, 'kb-emergency-sources')} {links}</i>")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def topic_card(t: Translator, locale: str, topic: Topic, emergency: tuple[EmergencyCountry, ...] = ()) -> str:
    text = topic.text(locale)
    parts = [f"<b>{escape(text.title)}</b>", escape(text.short)]
    steps = "\n".join(f"{n}. {escape(step)}" for n, step in enumerate(text.steps, 1))
    parts.append(f"<b>{t(locale, 'kb-steps-title')}</b>\n{steps}")
    if topic.emergency and emergency:
        parts.append(emergency_block(t, locale, emergency))
    if text.caveats:
        caveats = "\n".join(f"• {escape(c)}" for c in text.caveats)
        parts.append(f"{t(locale, 'kb-caveats-title')}\n{caveats}")
    parts.append(_footer(t, locale, topic))
    return "\n\n".join(parts)


def topic_details(t: Translator, locale: str, topic: Topic) -> str:
    text = topic.text(locale)
    parts = [f"<b>{escape(text.title)}</b> — {t(locale, 'kb-details-title')}"]
    parts.append(escape(text.details) if text.details else t(locale, "kb-no-details"))
    if text.legal_basis:
        basis = "\n".join(f"• {escape(item)}" for item in text.legal_basis)
        parts.append(f"<b>{t(locale, 'kb-legal-basis-title')}</b>\n{basis}")
    parts.append(_footer(t, locale, topic))
    return "\n\n".join(parts)


def topic_sources(t: Translator, locale: str, topic: Topic) -> str:
    lines = []
    for source in topic.sources:
        line = f"• {_link(source, locale, source.title(locale))}"
        if not source.url:
            line = f"• {escape(source.site or '')}: {escape(source.title(locale))}"
        if source.secondary:
            line += f" — <i>{t(locale, 'kb-source-secondary')}</i>"
        lines.append(line)
    title = escape(topic.text(locale).title)
    header = t(locale, "kb-sources-title", as_of=_as_of(topic.sources_as_of))
    return f"<b>{title}</b>\n\n{header}\n" + "\n".join(lines) + "\n\n" + _footer(t, locale, topic)


def urgent_card(
    t: Translator, locale: str, card: UrgentCard, emergency: tuple[EmergencyCountry, ...] = ()
) -> str:
    text = card.texts.get(locale) or card.texts["ru"]
    steps = "\n".join(f"{n}. {escape(step)}" for n, step in enumerate(text.steps, 1))
    parts = [f"<b>{escape(text.title)}</b>", escape(text.body), steps]
    if emergency:
        parts.append(emergency_block(t, locale, emergency))
    parts.append(t(locale, "kb-urgent-footer"))
    return "\n\n".join(parts)
