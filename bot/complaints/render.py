"""Texts of complaint screens and cards (HTML; user text is escaped by the translator)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.complaints.models import Case
from bot.i18n import Translator


def status_name(t: Translator, locale: str, status: str) -> str:
    return t(locale, f"cp-status-{status}")


def place(t: Translator, locale: str, country: str | None, city: str | None) -> str:
    name = t(locale, f"cp-country-{country}") if country else t(locale, "cp-not-given")
    return f"{name}, {city}" if city else name


def summary(t: Translator, locale: str, data: dict[str, Any]) -> str:
    not_given = t(locale, "cp-not-given")
    contact = data.get("phone") if data.get("reply_via") == "phone" else t(locale, "cp-contact-chat")
    body = t(
        locale,
        "cp-summary",
        place=place(t, locale, data.get("country"), data.get("city")),
        category=t(locale, f"cp-category-{data['category']}") if data.get("category") else not_given,
        description=data.get("description") or not_given,
        files=str(len(data.get("files", []))),
        when=data.get("happened") or not_given,
        contact=contact or not_given,
        name=data.get("name") or not_given,
    )
    mark = f"{t(locale, 'cp-urgent-mark')}\n" if data.get("urgent") else ""
    return f"{t(locale, 'cp-summary-title')}\n{mark}{body}"


def card(t: Translator, locale: str, case: Case, now: datetime | None = None) -> str:
    """The case card in the operators' chat (in the operators' language, `locale`)."""
    age = int(((now or case.created_at) - case.created_at).total_seconds() // 3600)
    not_given = t(locale, "cp-not-given")
    contact = case.phone if case.reply_via == "phone" and case.phone else t(locale, "cp-contact-chat")
    lines = [
        t(
            locale,
            "cp-op-card",
            urgent=t(locale, "cp-op-urgent") if case.urgent else "",
            number=case.number,
            status=status_name(t, locale, case.status),
            category=t(locale, f"cp-category-{case.category}"),
            place=place(t, locale, case.country, case.city),
            locale=case.locale,
            created=case.created_at.strftime("%d.%m.%Y %H:%M"),
            age=age,
            assignee=case.assignee_name or t(locale, "cp-op-nobody"),
            description=case.description or not_given,
            when=case.happened or not_given,
            contact=contact,
            name=case.name or not_given,
            institution=t(locale, f"cp-institution-{case.institution}"),
        )
    ]
    if case.last_action and case.last_action_at is not None:
        lines.append(
            t(
                locale,
                "cp-op-card-last",
                action=t(locale, f"cp-op-last-{case.last_action}"),
                at=case.last_action_at.strftime("%d.%m %H:%M"),
            )
        )
    if case.erased:
        lines.append(t(locale, "cp-op-card-erased"))
    return "\n".join(lines)
