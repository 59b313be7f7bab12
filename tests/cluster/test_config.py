"""Shared mode is switched on by REDIS_URL with a PostgreSQL DATABASE_URL; the default is unchanged."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings

TOKEN = "123456:TEST-token_for-tests"
PG = "postgresql+asyncpg://bot:db-pass@db/bot"


def test_the_default_is_one_process_on_sqlite() -> None:
    settings = load_settings(None, bot_token=TOKEN)
    assert not settings.shared and settings.db_url.startswith("sqlite+aiosqlite://")
    assert settings.metrics_port is None


def test_redis_and_postgres_switch_to_shared_mode() -> None:
    settings = load_settings(None, bot_token=TOKEN, database_url=PG, redis_url="redis://redis:6379/0")
    assert settings.shared


def test_redis_with_sqlite_is_one_clear_line_without_secrets() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(None, bot_token=TOKEN, redis_url="redis://:redis-pass@redis:6379/0")
    [line] = caught.value.problems
    assert "DATABASE_URL must be postgresql+asyncpg://" in line
    assert "redis-pass" not in line and TOKEN not in line


def test_a_bad_redis_url_is_reported_without_echoing_it() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(None, bot_token=TOKEN, database_url=PG, redis_url="http://:redis-pass@redis")
    [line] = caught.value.problems
    assert line.startswith("REDIS_URL: must start with redis://") and "redis-pass" not in line


def test_a_missing_redis_driver_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec

    def find_spec(name: str, *args: object) -> object:
        return None if name == "redis" else real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(ConfigError) as caught:
        load_settings(None, bot_token=TOKEN, database_url=PG, redis_url="redis://cache:6379/0")
    assert caught.value.problems == [
        "REDIS_URL: is set but the redis client is missing: pip install '.[cluster]' "
        "(example: REDIS_URL=redis://redis:6379/0)"
    ]
