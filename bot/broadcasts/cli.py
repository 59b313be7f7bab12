"""`python -m bot broadcast send|status`: broadcasts from the command line (automation).

The running bot's sender polls the outbox, so a broadcast enqueued here goes out without a restart.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime
from functools import partial
from typing import Any

from bot.cli import settings_or_exit


def add_commands(commands: Any) -> None:
    group = commands.add_parser("broadcast", help="enqueue a broadcast or show its progress")
    sub = group.add_subparsers(dest="broadcast_command", metavar="BROADCAST_COMMAND", required=True)
    send = sub.add_parser("send", help="enqueue a bilingual broadcast; prints its id")
    send.add_argument("--text-ky", required=True, help="the Kyrgyz text")
    send.add_argument("--text-ru", required=True, help="the Russian text")
    send.add_argument(
        "--audience",
        default="all",
        help="all | ky | ru | city:<key> | kind:<event kind> (its subscribers) | event:<key> (registrants "
        "of one event); default all",
    )
    send.add_argument("--at", help="ISO 8601 time with offset, e.g. 2026-11-25T18:00+06:00 (default now)")
    send.set_defaults(handler=_send)
    status = sub.add_parser("status", help="counts of one broadcast")
    status.add_argument("id", type=int)
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)


async def _service() -> tuple[Any, Any, Any]:
    from bot.broadcasts.service import BroadcastService
    from bot.clock import SystemClock
    from bot.i18n import Translator
    from bot.outbox.repo import OutboxRepo
    from bot.paths import LOCALES_DIR
    from bot.storage import migrate
    from bot.storage.database import Database
    from bot.users.repo import UserRepo

    settings = settings_or_exit()
    db = Database.connect(settings.db_url)
    await migrate.upgrade(db)
    clock = SystemClock()
    service = BroadcastService(db, OutboxRepo(db, clock), UserRepo(db, clock), clock)
    return service, db, Translator.load(LOCALES_DIR)


def _send(args: argparse.Namespace) -> int:
    from bot.broadcasts import render
    from bot.broadcasts.service import AudienceError, parse_audience
    from bot.clock import SystemClock

    problems = []
    try:
        parse_audience(args.audience)
    except AudienceError as exc:
        problems.append(str(exc))
    at = None
    if args.at:
        try:
            at = datetime.fromisoformat(args.at)
            if at.tzinfo is None:
                problems.append("--at needs a UTC offset, e.g. 2026-11-25T18:00+06:00")
            elif at <= SystemClock().now():
                # Sending "now" instead would surprise whoever typed a date: say it instead.
                problems.append(f"--at {args.at} is in the past; leave --at out to send now")
        except ValueError:
            problems.append(f"--at {args.at!r} is not an ISO 8601 time")
    for name, text in (("--text-ky", args.text_ky), ("--text-ru", args.text_ru)):
        if not text.strip() or len(text) > render.MAX_TEXT:
            problems.append(f"{name} must have 1–{render.MAX_TEXT} characters")
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2

    async def go() -> int | None:
        service, db, t = await _service()
        try:
            if await service.count(args.audience) == 0:
                print(
                    f"error: audience {args.audience!r} has no recipients (nobody subscribed with a "
                    "chosen language matches it); nothing was enqueued",
                    file=sys.stderr,
                )
                return None
            item = await service.create(
                author_id=None,
                text_ky=args.text_ky,
                text_ru=args.text_ru,
                audience=args.audience,
                at=at,
                payload=partial(render.payload, t),
            )
            return int(item.id)
        finally:
            await db.close()

    broadcast_id = asyncio.run(go())
    if broadcast_id is None:
        return 1
    print(broadcast_id)
    return 0


def _status(args: argparse.Namespace) -> int:
    async def go() -> dict[str, Any] | None:
        service, db, _ = await _service()
        try:
            item = await service.get(args.id)
            if item is None:
                return None
            figures = await service.progress(item.id)
            return {
                "id": item.id,
                "status": item.status,
                "audience": item.audience,
                "total": item.total,
                "sent": figures.sent,
                "failed": figures.failed,
                "blocked": figures.blocked,
                "remaining": figures.remaining,
                "cancelled": figures.cancelled,
                "scheduled_at": item.scheduled_at.isoformat(),
            }
        finally:
            await db.close()

    result = asyncio.run(go())
    if result is None:
        print(f"error: no broadcast {args.id}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result))
    else:
        print(" ".join(f"{key}={value}" for key, value in result.items()))
    return 0
