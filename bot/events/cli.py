"""`python -m bot events import FILE | list [--json]`: events from a YAML file (idempotent by key)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from bot.cli import settings_or_exit


def add_commands(commands: Any) -> None:
    group = commands.add_parser("events", help="import events from YAML; list upcoming events")
    sub = group.add_subparsers(dest="events_command", metavar="EVENTS_COMMAND", required=True)
    imp = sub.add_parser("import", help="create or update events from a YAML file (all or nothing)")
    imp.add_argument("file", type=Path)
    imp.set_defaults(handler=_import)
    listing = sub.add_parser("list", help="upcoming events")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)


async def _open() -> tuple[Any, Any, Any]:
    from bot.clock import SystemClock
    from bot.events.repo import EventRepo
    from bot.storage import migrate
    from bot.storage.database import Database

    settings = settings_or_exit()
    db = Database.connect(settings.db_url)
    await migrate.upgrade(db)
    clock = SystemClock()
    return EventRepo(db, clock), db, (settings, clock)


def _import(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from bot.events import importer

    items, problems = importer.load(args.file, datetime.now(UTC))
    if problems:
        print(f"{len(problems)} problem(s); nothing was imported:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1

    async def go() -> list[tuple[Any, str]]:
        from functools import partial

        from bot.events import keyboards
        from bot.events.service import EventService
        from bot.i18n import Translator
        from bot.outbox.repo import OutboxRepo
        from bot.paths import LOCALES_DIR
        from bot.users.repo import UserRepo

        t = Translator.load(LOCALES_DIR)
        repo, db, (settings, clock) = await _open()
        try:
            changes = await repo.upsert(items)
            service = EventService(
                repo,
                UserRepo(db, clock),
                OutboxRepo(db, clock),
                t,
                clock,
                settings.reminder_hours,
                notice_markup=partial(keyboards.notice_markup, t),
            )
            await service.announce_changes(changes)  # a running bot's sender delivers them
            return changes
        finally:
            await db.close()

    for event, change in asyncio.run(go()):
        print(f"{change:12} {event.key}")
    return 0


def _list(args: argparse.Namespace) -> int:
    async def go() -> list[Any]:
        from datetime import UTC, datetime

        repo, db, _ = await _open()
        try:
            return await repo.upcoming(datetime.now(UTC))
        finally:
            await db.close()

    events = asyncio.run(go())
    if args.json:
        print(json.dumps([
            {"key": e.key, "kind": e.kind, "title_ru": e.title_ru, "starts_at": e.starts_at.isoformat(),
             "timezone": e.timezone, "status": e.status, "capacity": e.capacity}
            for e in events
        ], ensure_ascii=False))  # fmt: skip
    elif not events:
        print("No upcoming events.")
    else:
        for e in events:
            print(f"{e.starts_at.isoformat()}  {e.key:30} {e.kind:16} {e.title_ru}")
    return 0
