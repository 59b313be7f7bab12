"""Figures for the ombudsman's reports: counts and medians, and a CSV export. No aiogram here."""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.complaints.models import Case
from bot.csvsafe import cell

PUBLIC_COLUMNS = (
    "number",
    "created_at",
    "locale",
    "urgent",
    "category",
    "country",
    "status",
    "hours_to_first_response",
    "hours_to_close",
)
PERSONAL_COLUMNS = ("name", "phone", "city", "description")  # admins only


@dataclass(frozen=True)
class Stats:
    total: int
    by_status: dict[str, int]
    by_category: dict[str, int]
    by_country: dict[str, int]
    median_first_response_hours: float | None
    median_close_hours: float | None


def _hours(start: object, end: object) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 3600, 1)  # type: ignore[operator]


def stats(cases: Sequence[Case]) -> Stats:
    first = [h for c in cases if (h := _hours(c.created_at, c.first_response_at)) is not None]
    closed = [h for c in cases if (h := _hours(c.created_at, c.closed_at)) is not None]
    return Stats(
        total=len(cases),
        by_status=dict(Counter(c.status for c in cases)),
        by_category=dict(Counter(c.category for c in cases)),
        by_country=dict(Counter(c.country for c in cases)),
        median_first_response_hours=statistics.median(first) if first else None,
        median_close_hours=statistics.median(closed) if closed else None,
    )


def csv_export(cases: Sequence[Case], personal: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(PUBLIC_COLUMNS + (PERSONAL_COLUMNS if personal else ()))
    for c in cases:
        row = [
            c.number,
            c.created_at.isoformat(),
            c.locale,
            int(c.urgent),
            c.category,
            c.country,
            c.status,
            _hours(c.created_at, c.first_response_at),
            _hours(c.created_at, c.closed_at),
        ]
        if personal:
            row += [c.name or "", c.phone or "", c.city or "", c.description or ""]
        # Every cell through csvsafe: a name or story starting with "=" must not run as a formula.
        writer.writerow([cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")  # BOM: Excel opens Cyrillic correctly
