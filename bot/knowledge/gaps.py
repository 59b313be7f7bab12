"""Questions the knowledge base could not answer, kept for the editors without any user id.

Only the normalised text (lower case, Latin → Cyrillic, ң ө ү folded, digits masked, at most 200
characters), the language and the day are stored — never who asked. Rows older than 90 days are
deleted by a daily retention job. Staff see the most frequent ones (/kb_gaps, `python -m bot kb gaps`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Column, Date, Index, Integer, String, Table, delete, func, insert, select

from bot.knowledge.normalize import normalized
from bot.storage.database import Database
from bot.storage.metadata import metadata

RETENTION_DAYS = 90
MAX_TEXT = 200

kb_gaps = Table(
    "kb_gaps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("text", String(MAX_TEXT), nullable=False),  # normalised question, digits masked
    Column("lang", String(2), nullable=False),
    Column("reason", String(40), nullable=False),  # no-match, refused, …
    Column("day", Date, nullable=False),
)
Index("ix_kb_gaps_day", kb_gaps.c.day)


def gap_text(question: str) -> str:
    """What is kept of a question: normalised, numbers (phones, documents, sums) masked, cut short."""
    return re.sub(r"\d", "#", normalized(question))[:MAX_TEXT]


@dataclass(frozen=True)
class Gap:
    text: str
    lang: str
    count: int
    last_day: date


class GapRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, question: str, lang: str, reason: str, day: date) -> None:
        text = gap_text(question)
        if not text:
            return
        async with self.db.begin() as conn:
            await conn.execute(insert(kb_gaps).values(text=text, lang=lang[:2], reason=reason[:40], day=day))

    async def top(self, today: date, limit: int = 20, days: int = RETENTION_DAYS) -> list[Gap]:
        since = today - timedelta(days=days)
        count = func.count().label("n")
        query = (
            select(kb_gaps.c.text, kb_gaps.c.lang, count, func.max(kb_gaps.c.day).label("last"))
            .where(kb_gaps.c.day >= since)
            .group_by(kb_gaps.c.text, kb_gaps.c.lang)
            .order_by(count.desc(), kb_gaps.c.text)
            .limit(limit)
        )
        async with self.db.connection() as conn:
            rows = (await conn.execute(query)).all()
        return [Gap(row.text, row.lang, int(row.n), row.last) for row in rows]

    async def purge(self, today: date, days: int = RETENTION_DAYS) -> int:
        async with self.db.begin() as conn:
            result = await conn.execute(delete(kb_gaps).where(kb_gaps.c.day < today - timedelta(days=days)))
        return int(result.rowcount or 0)
