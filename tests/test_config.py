"""Bad configuration: one clear line per problem, an example, no secrets echoed, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.paths import ROOT


def test_every_problem_is_listed_with_an_example() -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(
            None,
            bot_token="not-a-token",
            admin_ids="12,abc",
            default_locale="en",
            webhook_port=0,
            telegram_api_url="ftp://x",
            database_url="mysql://x",
        )
    problems = info.value.problems
    for variable in ("BOT_TOKEN", "ADMIN_IDS", "DEFAULT_LOCALE", "WEBHOOK_PORT", "TELEGRAM_API_URL"):
        assert any(line.startswith(variable + ":") and "example:" in line for line in problems), variable
    assert not any("not-a-token" in line for line in problems), "the token must never be echoed"


def test_defaults_and_lists() -> None:
    settings = load_settings(None, admin_ids="1, 2;3", operator_ids=5)
    assert settings.admin_ids == frozenset({1, 2, 3}) and settings.operator_ids == frozenset({5})
    assert settings.db_url.startswith("sqlite+aiosqlite:///")
    assert settings.is_staff(1) and settings.is_operator(1) and not settings.is_staff(5)
    assert settings.reminder_hours == (24.0, 1.0)


def test_token_is_secret_in_repr() -> None:
    settings = load_settings(None, bot_token="123456:SECRET-value_x")
    assert "SECRET" not in repr(settings) and "SECRET" not in str(settings.model_dump())


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.isupper() or k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )


def test_cli_reports_missing_token_without_traceback(tmp_path: Path) -> None:
    result = _run(["run"], {}, tmp_path)
    assert result.returncode == 2
    assert "BOT_TOKEN: is required" in result.stderr and "Traceback" not in result.stderr


def test_cli_reports_bad_values_without_traceback(tmp_path: Path) -> None:
    result = _run(["run"], {"BOT_TOKEN": "oops", "ADMIN_IDS": "x", "LOG_LEVEL": "LOUD"}, tmp_path)
    assert result.returncode == 2
    assert "BOT_TOKEN:" in result.stderr and "ADMIN_IDS:" in result.stderr and "LOG_LEVEL:" in result.stderr
    assert "Traceback" not in result.stderr and "oops" not in result.stderr


def test_webhook_mode_requires_url_and_secret(tmp_path: Path) -> None:
    result = _run(["run", "--webhook"], {"BOT_TOKEN": "123456:abcdefgh"}, tmp_path)
    assert result.returncode == 2
    assert "WEBHOOK_URL:" in result.stderr and "WEBHOOK_SECRET:" in result.stderr


def test_migrate_command_creates_the_database(tmp_path: Path) -> None:
    result = _run(["migrate"], {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "revision" in result.stdout and (tmp_path / "x.sqlite3").exists()


def test_help_lists_subcommands(tmp_path: Path) -> None:
    result = _run(["--help"], {}, tmp_path)
    assert result.returncode == 0
    for command in ("run", "migrate", "demo", "health"):
        assert command in result.stdout


# Every secret setting, each with a value that is itself malformed and with one that is fine, next to
# malformed values of other settings: no secret may appear in anything the process prints.
SECRETS = {
    "BOT_TOKEN": ["123456:TokenSecretPart_abcdef", "TokenSecretPart_no_colon"],
    "WEBHOOK_SECRET": ["WebhookSecretValue_123", "Webhook Secret Value!"],
    "DATABASE_URL": [
        "postgres://dbuser:DbPassw0rd-secret@db.example.org/bot",
        "postgresql+asyncpg://dbuser:DbPassw0rd-secret@db.example.org:notaport/bot",
        "mysql://dbuser:DbPassw0rd-secret@db.example.org/bot",
    ],
    "TELEGRAM_API_URL": ["ftp://proxyuser:ProxyPassw0rd@proxy.example.org", "https://u:ProxyPassw0rd@x y"],
    "WEBHOOK_URL": ["ftp://hookuser:HookPassw0rd@bot.example.org/telegram"],
}
SECRET_PARTS = (
    "TokenSecretPart",
    "WebhookSecretValue",
    "Webhook Secret Value",
    "DbPassw0rd",
    "ProxyPassw0rd",
    "HookPassw0rd",
)
OTHER_BAD = [
    # Valid secrets next to a URL that is wrong as a whole (a model-level check sees every input).
    {
        "BOT_TOKEN": "123456:TokenSecretPart_valid",
        "WEBHOOK_SECRET": "WebhookSecretValue_valid",
        "DATABASE_URL": "postgres://u:OtherDbPassw0rd@h/db",
    },
    {"ADMIN_IDS": "x"},
    {"DATABASE_URL": "postgres://u:OtherDbPassw0rd@h/db", "LOG_LEVEL": "LOUD"},
    {"WEBHOOK_PORT": "0", "SEND_RATE": "100", "REMINDER_HOURS": "x"},
    {"BOT_TOKEN": "malformed", "WEBHOOK_SECRET": "bad secret!"},
]


@pytest.mark.parametrize(
    ("variable", "value"), [(variable, value) for variable, values in SECRETS.items() for value in values]
)
@pytest.mark.parametrize("others", OTHER_BAD, ids=lambda others: ",".join(others))
def test_no_secret_is_ever_printed(tmp_path: Path, variable: str, value: str, others: dict[str, str]) -> None:
    env = {**others, variable: value}
    result = _run(["run"], env, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output
    for part in (*SECRET_PARTS, "OtherDbPassw0rd"):
        assert part not in output, f"{part} printed:\n{output}"
    if others is not OTHER_BAD[1]:
        return
    # The same through a .env file.
    (tmp_path / ".env").write_text("".join(f"{k}={v}\n" for k, v in env.items()), encoding="utf-8")
    result = _run(["migrate"], {}, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 2 and "Traceback" not in output, output
    for part in (*SECRET_PARTS, "OtherDbPassw0rd"):
        assert part not in output, f"{part} printed from .env:\n{output}"


def test_secret_settings_stay_out_of_repr_and_problems() -> None:
    settings = load_settings(
        None,
        bot_token="123456:ReprTokenSecret",
        webhook_secret="ReprWebhookSecret",
        database_url="postgresql+asyncpg://u:ReprDbPassword@h/db",
        telegram_api_url="https://u:ReprProxyPassword@proxy.example.org",
    )
    text = repr(settings) + str(settings)
    for part in ("ReprTokenSecret", "ReprWebhookSecret", "ReprDbPassword", "ReprProxyPassword"):
        assert part not in text
    with pytest.raises(ConfigError) as info:
        load_settings(None, database_url="postgres://u:ProblemDbPassword@h/db", bot_token="ProblemToken")
    assert "ProblemDbPassword" not in str(info.value) and "ProblemToken" not in str(info.value)
    assert any(line.startswith("DATABASE_URL:") for line in info.value.problems)


def test_unwritable_state_dir_is_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for command in (["run"], ["migrate"]):
        result = _run(
            command, {"BOT_TOKEN": "123456:abcdefgh", "STATE_DIR": str(blocker / "state")}, tmp_path
        )
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert f"STATE_DIR: cannot write to {blocker / 'state'}" in result.stderr


def test_missing_asyncpg_with_a_postgresql_url_is_one_clear_line(tmp_path: Path) -> None:
    # A process where asyncpg cannot be imported, as after `pip install .` without `[postgres]`.
    code = "import sys; sys.modules['asyncpg'] = None; from bot.cli import main; sys.exit(main(['migrate']))"
    clean = {k: v for k, v in os.environ.items() if not k.isupper() or k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **clean,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": "postgresql+asyncpg://u:AsyncpgDbPassword@127.0.0.1:1/bot",
        },
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "AsyncpgDbPassword" not in result.stderr
    assert "asyncpg" in result.stderr and "[postgres]" in result.stderr


def test_cli_imports_no_aiogram_for_help_and_health(tmp_path: Path) -> None:
    """`python -m bot health` is the container health check (10 s time-out): it must not pay for
    importing aiogram, SQLAlchemy or the feature packages."""
    code = (
        "import sys, contextlib, io\n"
        "from bot.cli import main\n"
        "for argv in (['--help'], ['health'], ['demo', '--help'], ['events', '--help']):\n"
        "    with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "        main(argv) if argv[0] != 'events' else None\n"
        "heavy = sorted(m for m in ('aiogram', 'sqlalchemy', 'aiohttp', 'bot.knowledge', 'bot.events')"
        " if m in sys.modules)\n"
        "print('heavy:', heavy)\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.isupper() or k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "PYTHONPATH": str(ROOT), "STATE_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert "heavy: []" in result.stdout, result.stdout + result.stderr


def test_help_still_lists_feature_commands_and_feature_help_works(tmp_path: Path) -> None:
    result = _run(["--help"], {}, tmp_path)
    for command in ("kb", "events", "broadcast"):
        assert command in result.stdout
    result = _run(["kb", "--help"], {}, tmp_path)
    assert result.returncode == 0 and "check" in result.stdout, result.stderr


def test_debug_logging_never_shows_sql_parameters(tmp_path: Path) -> None:
    """At LOG_LEVEL=DEBUG, SQLAlchemy would log every statement with its parameters (what people
    wrote in a complaint, phone numbers): those loggers stay at WARNING whatever the level."""
    code = (
        "import asyncio, logging\n"
        "from sqlalchemy import text\n"
        "from bot.cli import configure_logging\n"
        "from bot.storage.database import Database\n"
        "configure_logging('DEBUG')\n"
        "logging.getLogger('bot').debug('debug is on')\n"
        "async def main():\n"
        "    db = Database.connect('sqlite+aiosqlite:///' + 'x.sqlite3')\n"
        "    async with db.begin() as conn:\n"
        "        await conn.execute(text('select :x'), {'x': 'PersonalText 0555123456'})\n"
        "    await db.close()\n"
        "asyncio.run(main())\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.isupper() or k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "debug is on" in result.stderr
    assert "PersonalText" not in result.stderr + result.stdout
