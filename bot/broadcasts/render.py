"""How a broadcast looks to its recipients and to staff (HTML; staff text is escaped)."""

from __future__ import annotations

from datetime import datetime
from html import escape, unescape
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.broadcasts.callbacks import BcCb
from bot.broadcasts.service import Broadcast, Progress
from bot.events.callbacks import EvCb
from bot.events.models import Event
from bot.events.render import address as event_address
from bot.events.render import when as format_when
from bot.events.render import zone_label
from bot.i18n import Translator
from bot.places import CITY_BY_KEY

BISHKEK = ZoneInfo("Asia/Bishkek")
MAX_TEXT = 3500  # leaves room for the footer within Telegram's 4096
MAX_CAPTION_TEXT = 850  # captions are limited to 1024


def event_notice(t: Translator, locale: str, event: Event) -> str:
    """A plain-text notice drafted from an event (staff may still cancel it at the preview)."""
    zone = event.timezone
    when = f"{format_when(event.starts_at, zone, locale)} ({zone_label(t, locale, zone)})"
    place = (
        t(locale, "ev-online", platform=event.platform or "—")
        if event.online
        else t(locale, "ev-where", address=event_address(t, locale, event) or "—")
    )
    # Translator output is HTML-escaped; a broadcast text is plain (escaped once when it is sent).
    return unescape(
        t(
            locale,
            "bc-event-template",
            kind=t(locale, f"ev-kind-{event.kind}"),
            title=event.text("title", locale),
            when=when,
            place=place,
        )
    )


def unsubscribe_markup(t: Translator, locale: str, item: Broadcast | None = None) -> InlineKeyboardMarkup:
    """The optional button staff chose (an event's card or an https link), then "unsubscribe"."""
    rows = []
    if item is not None and item.button_event_id:
        action = EvCb(action="show", id=item.button_event_id).pack()
        rows.append([InlineKeyboardButton(text=t(locale, "bc-btn-event-card"), callback_data=action)])
    elif item is not None and item.button_url:
        rows.append([InlineKeyboardButton(text=t(locale, "bc-btn-open-link"), url=item.button_url)])
    unsubscribe = InlineKeyboardButton(
        text=t(locale, "bc-btn-unsubscribe"), callback_data=BcCb(action="unsub").pack()
    )
    return InlineKeyboardMarkup(inline_keyboard=[*rows, [unsubscribe]])


def payload(t: Translator, item: Broadcast, locale: str) -> tuple[str, dict[str, Any]]:
    """Bot API method and parameters (except chat_id) for one recipient language."""
    text = f"{escape(item.text(locale))}\n\n{t(locale, 'bc-footer')}"
    markup = unsubscribe_markup(t, locale, item).model_dump(exclude_none=True)
    if item.media_kind == "photo":
        return "sendPhoto", {"photo": item.media_file_id, "caption": text, "reply_markup": markup}
    if item.media_kind == "document":
        return "sendDocument", {"document": item.media_file_id, "caption": text, "reply_markup": markup}
    return "sendMessage", {"text": text, "reply_markup": markup}


def audience_name(t: Translator, locale: str, audience: str) -> str:
    if audience.startswith("event:"):
        return t(locale, "bc-audience-event", event=audience[6:])
    if audience.startswith("kind:"):
        return t(locale, "bc-audience-kind", kind=t(locale, f"ev-kind-{audience[5:]}"))
    if audience.startswith("city:") and audience[5:] in CITY_BY_KEY:
        return t(locale, "bc-audience-city", city=t(locale, f"city-{audience[5:]}"))
    return t(locale, f"bc-audience-{audience}")


def status_text(t: Translator, locale: str, item: Broadcast) -> str:
    # Staff schedule in Bishkek time (the ombudsman's office); the zone is named so nobody guesses.
    at = f"{item.scheduled_at.astimezone(BISHKEK):%d.%m.%Y %H:%M} ({t(locale, 'city-bishkek')})"
    return t(locale, f"bc-status-{item.status}", at=at)


def progress(t: Translator, locale: str, item: Broadcast, figures: Progress, now: datetime) -> str:
    done = figures.total - figures.remaining
    percent = 100 if figures.total == 0 else int(100 * done / figures.total)
    bar = "▓" * (percent // 10) + "░" * (10 - percent // 10)
    text = t(
        locale,
        "bc-progress",
        id=item.id,
        status=status_text(t, locale, item),
        bar=bar,
        percent=percent,
        sent=figures.sent,
        failed=figures.failed,
        blocked=figures.blocked,
        remaining=figures.remaining,
    )
    # Rate over the time since sending began (pauses included: it is what staff wait for).
    end = item.finished_at or now
    elapsed = (end - item.scheduled_at).total_seconds()
    processed = figures.sent + figures.failed + figures.blocked
    if item.status in {"running", "done"} and elapsed >= 1 and processed:
        rate = processed / elapsed
        text += "\n" + t(locale, "bc-progress-rate", rate=f"{rate:.1f}")
        if item.status == "running" and figures.remaining:
            minutes, seconds = divmod(int(figures.remaining / rate), 60)
            text += " · " + t(locale, "bc-progress-eta", minutes=minutes, seconds=seconds)
    return text


def final_report(t: Translator, locale: str, item: Broadcast, figures: Progress) -> str:
    minutes = 0
    if item.finished_at is not None:
        minutes = max(0, round((item.finished_at - item.scheduled_at).total_seconds() / 60))
    return t(
        locale,
        "bc-final-report",
        id=item.id,
        audience=audience_name(t, locale, item.audience),
        sent=figures.sent,
        failed=figures.failed,
        blocked=figures.blocked,
        minutes=minutes,
    )
