"""`python -m bot broadcast send` refuses what would surprise: a time in the past, nobody to send to."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.cli import main
from bot.clock import SystemClock
from bot.storage import migrate
from bot.storage.database import Database
from bot.users.repo import UserRepo


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    monkeypatch.chdir(tmp_path)  # no stray .env file
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("STATE_DIR", str(tmp_path))
    return url


def people(url: str, *locales: str) -> None:
    async def go() -> None:
        db = Database.connect(url)
        await migrate.upgrade(db)
        users = UserRepo(db, SystemClock())
        for number, locale in enumerate(locales, 1):
            await users.touch(number, locale, "")
            await users.set_locale(number, locale)
        await db.close()

    asyncio.run(go())


def send(*args: str) -> int:
    return main(["broadcast", "send", "--text-ky", "Кабыл алуу", "--text-ru", "Приём", *args])


def test_a_time_in_the_past_is_refused(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    people(env, "ky", "ru")
    assert send("--at", "2020-01-01T10:00+06:00") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: --at 2020-01-01T10:00+06:00 is in the past; leave --at out to send now"]


def test_an_audience_of_nobody_is_refused(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    people(env, "ru")
    assert send("--audience", "ky") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().splitlines() == [
        "error: audience 'ky' has no recipients (nobody subscribed with a chosen language matches it); "
        "nothing was enqueued"
    ]
    assert send("--audience", "event:no-such-event") == 1


def test_a_future_time_and_real_recipients_are_accepted(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    people(env, "ky", "ru")
    assert send("--at", "2099-01-01T10:00+06:00") == 0
    assert capsys.readouterr().out.strip() == "1"
    assert main(["broadcast", "status", "1", "--json"]) == 0
    assert '"total": 2' in capsys.readouterr().out
