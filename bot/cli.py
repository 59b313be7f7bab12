"""Command line: `python -m bot [run|migrate|demo|health|kb|events|broadcast] ...`.

Start-up time matters here: the container health check runs `python -m bot health` with a 10 s
time-out, and importing aiogram alone takes seconds on a small machine. So this module imports only
the standard library and the settings; each command imports what it needs when it runs, and a
feature's command group (whose package imports aiogram) is imported only when that group is used.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.config import ConfigError, Settings, load_settings

# Feature command groups: name -> (module with add_commands(subparsers), one-line help for `--help`).
# The module is imported only when its group is on the command line.
FEATURE_COMMANDS: dict[str, tuple[str, str]] = {
    "kb": ("bot.knowledge.cli", "knowledge base: search, check, reload"),
    "events": ("bot.events.cli", "import events from YAML; list upcoming events"),
    "broadcast": ("bot.broadcasts.cli", "enqueue a broadcast or show its progress"),
    "complaints": ("bot.complaints.cli", "complaints from the shell"),
}
HEARTBEAT_FILE = "heartbeat"
HEARTBEAT_MAX_AGE = timedelta(minutes=3)
EXIT_CONFIG = 2  # bad configuration or environment: restarting will not help


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    # aiogram logs every update at INFO ("Update id=... is handled"): keep it at WARNING; our own
    # modules log what matters.
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # At DEBUG these would log every SQL statement with its parameters (complaint texts, phone
    # numbers) and every HTTP request: personal data never goes into logs, whatever the level.
    for name in ("sqlalchemy", "aiosqlite", "asyncpg", "aiohttp", "hpack", "asyncio"):
        logging.getLogger(name).setLevel(max(logging.getLogger(name).level, logging.WARNING))


def print_problems(problems: Sequence[str]) -> None:
    print("Configuration problems:", file=sys.stderr)
    for line in problems:
        print(f"  - {line}", file=sys.stderr)
    print("See README.md, section Configuration.", file=sys.stderr)


def settings_or_exit(**overrides: object) -> Settings:
    try:
        return load_settings(**overrides)
    except ConfigError as exc:
        print_problems(exc.problems)
        raise SystemExit(EXIT_CONFIG) from None


def _run(args: argparse.Namespace) -> int:
    settings = settings_or_exit()
    settings.require_token()
    webhook = args.webhook or (settings.webhook_url is not None and not args.polling)
    if webhook:
        settings.require_webhook()
    settings.ensure_state_dir()
    configure_logging(settings.log_level)

    import asyncio

    from bot import runners
    from bot.app import create_app

    app = create_app(settings)
    runner = runners.run_webhook if webhook else runners.run_polling
    return asyncio.run(runner(app))


def _migrate(args: argparse.Namespace) -> int:
    import asyncio

    from bot.storage import migrate
    from bot.storage.database import Database

    settings = settings_or_exit()
    settings.ensure_state_dir()
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
    from bot.simulator.demo import main as demo_main

    return demo_main(language=args.language, script=args.script, database=args.database)


def _has_module(module_name: str) -> bool:
    """Without importing it (importing the feature package would import aiogram)."""
    return (Path(__file__).resolve().parent.parent / (module_name.replace(".", "/") + ".py")).is_file()


def _feature_module(name: str) -> Any | None:
    module_name = FEATURE_COMMANDS[name][0]
    if not _has_module(module_name):
        return None
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return None  # this feature has no command group (yet)


def build_parser(feature: str | None = None) -> argparse.ArgumentParser:
    """All commands; only `feature`'s group (if any) is imported and built in full."""
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
    demo = commands.add_parser(
        "demo",
        help="chat with the bot in this terminal, no Telegram token needed",
        description=(
            "Chat with the real bot against a simulated Telegram. Type a message to send it; type #N "
            "(e.g. #1) to press button N of the last message; /quit, Ctrl+C or Ctrl+D to leave. "
            "The demo uses a throw-away database unless --database is given."
        ),
    )
    demo.add_argument(
        "--language", choices=["ky", "ru"], default=None, help="pre-select the interface language"
    )
    demo.add_argument(
        "--script", help="file with one message per line to send instead of typing ('-': stdin)"
    )
    demo.add_argument(
        "--database",
        metavar="URL",
        help="keep the demo's data in this database (default: a throw-away one; DATABASE_URL is ignored)",
    )
    demo.set_defaults(handler=_demo)
    for name, (_module_name, help_text) in FEATURE_COMMANDS.items():
        if name == feature:
            module = _feature_module(name)
            if module is not None:
                module.add_commands(commands)
                continue
        if feature is None and _has_module(_module_name):
            # Listed for `--help`; used, the group is built for real (see main()).
            commands.add_parser(name, help=help_text, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("--") and argv[0] != "--help"):
        argv = ["run", *argv]  # `python -m bot` and `python -m bot --webhook` mean run
    feature = argv[0] if argv[0] in FEATURE_COMMANDS else None
    parser = build_parser(feature)
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:  # a command group without a sub-command, or a feature with no commands
        parser.parse_args([*argv, "--help"])
        return EXIT_CONFIG
    try:
        return int(handler(args))
    except ConfigError as exc:
        print_problems(exc.problems)
        return EXIT_CONFIG
