"""Command line: `python -m bot [run|migrate|demo|health|kb|events|broadcast] ...`."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from bot.config import ConfigError, Settings, load_settings

# Feature command groups; each module has add_commands(subparsers).
FEATURE_CLIS = ("bot.knowledge.cli", "bot.events.cli", "bot.broadcasts.cli", "bot.complaints.cli")
HEARTBEAT_FILE = "heartbeat"
HEARTBEAT_MAX_AGE = timedelta(minutes=3)


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    # aiogram logs every update at INFO ("Update id=... is handled"): useful, but keep it at WARNING
    # in production noise terms; our own modules log what matters.
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def settings_or_exit(**overrides: object) -> Settings:
    try:
        return load_settings(**overrides)
    except ConfigError as exc:
        print("Configuration problems:", file=sys.stderr)
        for line in exc.problems:
            print(f"  - {line}", file=sys.stderr)
        print("See README.md, section Configuration.", file=sys.stderr)
        raise SystemExit(2) from None


def _run(args: argparse.Namespace) -> int:
    from bot import runners
    from bot.app import create_app

    settings = settings_or_exit()
    try:
        settings.require_token()
        webhook = args.webhook or (settings.webhook_url is not None and not args.polling)
        if webhook:
            settings.require_webhook()
    except ConfigError as exc:
        print("Configuration problems:", file=sys.stderr)
        for line in exc.problems:
            print(f"  - {line}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    app = create_app(settings)
    runner = runners.run_webhook if webhook else runners.run_polling
    asyncio.run(runner(app))
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from bot.storage import migrate
    from bot.storage.database import Database

    settings = settings_or_exit()
    configure_logging(settings.log_level)

    async def go() -> str | None:
        db = Database.connect(settings.db_url)
        try:
            await migrate.upgrade(db)
            return await migrate.current_revision(db)
        finally:
            await db.close()

    print(f"database is at revision {asyncio.run(go())}")
    return 0


def _health(args: argparse.Namespace) -> int:
    """For container health checks: the running bot touches a heartbeat file every minute."""
    settings = settings_or_exit()
    path = settings.state_dir / HEARTBEAT_FILE
    try:
        beat = datetime.fromisoformat(path.read_text().strip())
    except (OSError, ValueError):
        print("unhealthy: no heartbeat yet", file=sys.stderr)
        return 1
    if datetime.now(UTC) - beat > HEARTBEAT_MAX_AGE:
        print(f"unhealthy: last heartbeat {beat.isoformat()}", file=sys.stderr)
        return 1
    print("ok")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from bot.simulator.demo import run_demo

    return asyncio.run(run_demo(language=args.language, script=args.script))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description=(
            "Telegram bot for Kyrgyz labour migrants: rights questions, events, broadcasts, complaints."
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser("run", help="run the bot (long polling by default; webhook if configured)")
    mode = run.add_mutually_exclusive_group()
    mode.add_argument("--webhook", action="store_true", help="run the aiohttp webhook server")
    mode.add_argument("--polling", action="store_true", help="force long polling even if WEBHOOK_URL is set")
    run.set_defaults(handler=_run)
    commands.add_parser("migrate", help="create or upgrade the database schema").set_defaults(
        handler=_migrate
    )
    commands.add_parser("health", help="exit 0 if the running bot is alive (for Docker)").set_defaults(
        handler=_health
    )
    demo = commands.add_parser("demo", help="chat with the bot in this terminal, no Telegram token needed")
    demo.add_argument(
        "--language", choices=["ky", "ru"], default=None, help="pre-select the interface language"
    )
    demo.add_argument("--script", help="file with one message per line to send instead of typing")
    demo.set_defaults(handler=_demo)
    for module_name in FEATURE_CLIS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv and argv[0] in {"-h", "--help"}:
        parser.print_help()
        return 0
    if not argv or argv[0].startswith("--"):
        argv = ["run", *argv]  # `python -m bot` and `python -m bot --webhook` mean run
    args = parser.parse_args(argv)
    return int(args.handler(args))
