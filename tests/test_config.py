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
