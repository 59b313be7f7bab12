"""`python -m bot kb search|check|reload`: the knowledge base from the shell (staff and evaluation).

Contract (used by content reviewers and by the evaluation):
  kb search [--lang ky|ru] [--limit N] [--json] QUERY   ranked topics
  kb search --json -                                   one query per stdin line → one JSON object per line:
      {"query": ..., "lang": "ky"|"ru", "urgent": bool, "results": [{"id": ..., "score": ...}, ...]}
  kb check                                             validate all content; non-zero exit lists problems
  kb reload                                            validate and show what a reload would serve
  kb gaps [--limit N] [--days D]                       most frequent unanswered questions (no user ids)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from bot.paths import KNOWLEDGE_DIR


def knowledge_dir() -> Path:
    # Read directly (not through Settings) so that the content check needs no bot token or database.
    return Path(os.environ.get("KNOWLEDGE_DIR") or KNOWLEDGE_DIR)


def cache_dir() -> Path:
    """The bot's build cache when configured (KB_CACHE_DIR, or STATE_DIR/cache as the bot uses), else
    the user's cache folder: a search from any folder must not leave a "state" folder behind."""
    if configured := os.environ.get("KB_CACHE_DIR"):
        return Path(configured)
    if state := os.environ.get("STATE_DIR"):
        return Path(state) / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "migrant-bot"


def add_commands(commands: Any) -> None:
    kb = commands.add_parser("kb", help="knowledge base: search, check, reload")
    sub = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND", required=True)
    search = sub.add_parser("search", help="rank topics for a question ('-' reads one per stdin line)")
    search.add_argument("query", nargs="+", help="the question, or '-' for standard input")
    search.add_argument(
        "--lang", choices=["ky", "ru"], help="language of the titles shown (default: detected)"
    )
    search.add_argument("--limit", type=int, default=3, help="at most this many topics (default 3)")
    search.add_argument("--json", action="store_true", help="JSON output")
    search.set_defaults(handler=_search)
    sub.add_parser("check", help="validate all content; exit 1 listing every problem").set_defaults(
        handler=_check
    )
    sub.add_parser("reload", help="validate and summarise what a reload would load").set_defaults(
        handler=_reload
    )
    gaps = sub.add_parser("gaps", help="most frequent unanswered questions (kept 90 days, no user ids)")
    gaps.add_argument("--limit", type=int, default=30)
    gaps.add_argument("--days", type=int, default=90)
    gaps.set_defaults(handler=_gaps)


def _gaps(args: argparse.Namespace) -> int:
    import asyncio
    from datetime import UTC, datetime

    from bot.cli import settings_or_exit
    from bot.knowledge.gaps import GapRepo
    from bot.storage import migrate
    from bot.storage.database import Database

    async def go() -> list[Any]:
        db = Database.connect(settings_or_exit().db_url)
        try:
            await migrate.upgrade(db)
            return await GapRepo(db).top(datetime.now(UTC).date(), limit=args.limit, days=args.days)
        finally:
            await db.close()

    top = asyncio.run(go())
    if not top:
        print("no unanswered questions")
    for gap in top:
        print(f"{gap.count:4} [{gap.lang}] {gap.text}  (last {gap.last_day})")
    return 0


def _load() -> Any:
    from bot.knowledge.content import ContentError
    from bot.knowledge.service import KnowledgeBase

    try:
        return KnowledgeBase(knowledge_dir(), cache_dir())
    except ContentError as exc:
        _print_problems(exc.problems)
        raise SystemExit(1) from None


def _as_json(kb: Any, query: str, lang: str | None, limit: int) -> dict[str, Any]:
    answer = kb.answer(query, interface=lang or "ru", limit=limit)
    return {
        "query": query,
        "lang": answer.lang,
        "urgent": answer.urgent is not None,
        "results": [{"id": hit.topic, "score": hit.score} for hit in answer.results],
    }


def _search(args: argparse.Namespace) -> int:
    kb = _load()
    if args.query == ["-"]:
        for line in sys.stdin:
            query = line.strip()
            if query:
                print(json.dumps(_as_json(kb, query, args.lang, args.limit), ensure_ascii=False), flush=True)
        return 0
    query = " ".join(args.query)
    if args.json:
        print(json.dumps(_as_json(kb, query, args.lang, args.limit), ensure_ascii=False))
        return 0
    answer = kb.answer(query, interface=args.lang or "ru", limit=args.limit)
    lang = args.lang or answer.lang
    print(f"language: {answer.lang}")
    if answer.urgent is not None:
        print(f"URGENT: {answer.urgent.id} → {answer.urgent.texts[lang].title}")
    if answer.small_talk:
        print("small talk: no topic")
    if not answer.results:
        print("no confident match")
    for rank, hit in enumerate(answer.results, 1):
        print(f"{rank}. {hit.topic} ({hit.score:.2f}) {kb.content.topics[hit.topic].text(lang).title}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from bot.knowledge.content import ContentError, load_content, review_warnings
    from bot.knowledge.service import KnowledgeBase

    try:
        content = load_content(knowledge_dir())
        KnowledgeBase(knowledge_dir(), cache_dir())  # the lexicon and the labelled examples too
    except ContentError as exc:
        _print_problems(exc.problems)
        return 1
    print(f"knowledge base OK: {knowledge_dir()}")
    warnings = review_warnings(content)
    if warnings:  # due for review: the bot tells readers so; staff re-check the sources
        print(f"{len(warnings)} topic(s) due for review:")
        for warning in warnings:
            print(f"  - {warning}")
    return 0


def _reload(args: argparse.Namespace) -> int:
    kb = _load()
    content = kb.content
    print(
        f"would load {len(content.topics)} topics in {len(content.categories)} categories and "
        f"{len(content.urgent)} urgent cards; a running bot reloads with /kb_reload (admins)"
    )
    return 0


def _print_problems(problems: list[str]) -> None:
    print(f"{len(problems)} problem(s) in the knowledge base:", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
