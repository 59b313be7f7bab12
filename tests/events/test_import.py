"""The events file: the shipped sample imports on any day (relative dates), importing an unchanged file
is a no-op, addresses in both languages, `events list` says when there is nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.context import AppContext
from bot.events import importer, render
from bot.events.calendar import ics
from bot.events.repo import EventRepo
from tests.conftest import START
from tests.events.test_events import SAMPLES

EVENT = {
    "key": "reception-moscow-1",
    "kind": "reception",
    "organisers": ["kg_embassy"],
    "title": {"ky": "Кабыл алуу", "ru": "Приём"},
    "description": {"ky": "Консулдук маселелер.", "ru": "Консульские вопросы."},
    "starts": "2026-12-10T10:00",
    "ends": "2026-12-10T12:00",
    "timezone": "Europe/Moscow",
    "city": "moscow",
    "address": "ул. Примерная, 1",
}


def write(tmp_path: Path, name: str, events: list[dict[str, object]]) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(events, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("days", [0, 1, 13, 365, 3 * 365])
def test_the_sample_imports_on_any_day(days: int) -> None:
    now = START + timedelta(days=days, hours=7)
    items, problems = importer.load(SAMPLES, now)
    assert problems == [] and len(items) == 5
    assert all(item["starts_at"] > now for item in items)
    moscow = next(i for i in items if i["key"] == "sample-joint-reception-moscow")
    local = moscow["starts_at"].astimezone(ZoneInfo("Europe/Moscow"))
    assert local.date() == now.astimezone(ZoneInfo("Europe/Moscow")).date() + timedelta(days=19)
    assert (local.hour, local.minute) == (11, 0)
    assert moscow["ends_at"] - moscow["starts_at"] == timedelta(hours=4)


def test_the_sample_is_marked_as_a_sample_in_both_languages() -> None:
    for event in yaml.safe_load(SAMPLES.read_text(encoding="utf-8")):
        assert event["key"].startswith("sample-")
        assert event["title"]["ky"].startswith("ҮЛГҮ") and event["title"]["ru"].startswith("ОБРАЗЕЦ")


def test_relative_dates_are_checked(tmp_path: Path) -> None:
    base = {k: v for k, v in EVENT.items() if k not in {"starts", "ends"}}
    bad = [
        {**base, "key": "a", "starts_in_days": -1, "local_time": "10:00", "duration_minutes": 60},
        {
            **base,
            "key": "b",
            "starts_in_days": 3,
            "local_time": 600,
            "duration_minutes": 60,
        },  # 10:00 unquoted
        {**base, "key": "c", "starts_in_days": 3, "local_time": "25:00", "duration_minutes": 0},
        {
            **base,
            "key": "d",
            "starts_in_days": 3,
            "local_time": "10:00",
            "duration_minutes": 60,
            "starts": "x",
        },
        {**base, "key": "e", "starts_in_days": True, "local_time": "10:00", "duration_minutes": 60},
    ]
    items, problems = importer.load(write(tmp_path, "bad.yaml", bad), START)
    text = "\n".join(problems)
    assert items == []
    assert text.count("starts_in_days must be") == 2 and text.count("local_time must be") == 2
    assert "duration_minutes must be" in text and "not both" in text


async def test_importing_an_unchanged_file_again_changes_nothing(app: AppContext, tmp_path: Path) -> None:
    repo: EventRepo = app.services["events"]
    first = write(tmp_path, "first.yaml", [EVENT])
    moved = write(
        tmp_path, "moved.yaml", [{**EVENT, "starts": "2026-12-11T10:00", "ends": "2026-12-11T12:00"}]
    )

    async def run(path: Path) -> tuple[str, int, str]:
        items, problems = importer.load(path, START)
        assert problems == []
        [(event, change)] = await repo.upsert(items)
        return change, event.version, event.status

    assert await run(first) == ("created", 1, "scheduled")
    assert await run(first) == ("unchanged", 1, "scheduled")
    assert await run(moved) == ("rescheduled", 2, "rescheduled")
    assert await run(moved) == ("unchanged", 2, "rescheduled")  # was: "updated", version 3, "scheduled"
    assert await run(moved) == ("unchanged", 2, "rescheduled")
    # A real change after a move is an update and keeps the event marked as moved.
    title = {"ky": "Кабыл алуу", "ru": "Приём граждан"}
    retitled = write(tmp_path, "retitled.yaml", [{**yaml.safe_load(moved.read_text())[0], "title": title}])
    assert await run(retitled) == ("updated", 3, "rescheduled")
    assert await run(retitled) == ("unchanged", 3, "rescheduled")


async def test_addresses_in_both_languages_and_a_marked_fallback(app: AppContext, tmp_path: Path) -> None:
    events = [
        {**EVENT, "key": "both", "address": {"ky": "Мисал көчөсү, 1", "ru": "ул. Примерная, 1"}},
        {**EVENT, "key": "beside", "address_ky": "Мисал көчөсү, 2", "address": "ул. Примерная, 2"},
        {**EVENT, "key": "ru-only"},
        {**EVENT, "key": "ky-only", "address": {"ky": "Мисал көчөсү, 4"}},
    ]
    items, problems = importer.load(write(tmp_path, "addresses.yaml", events), START)
    assert problems == []
    saved = {event.key: event for event, _ in await app.services["events"].upsert(items)}
    t = app.t

    def where(key: str, locale: str) -> str:
        card = render.card(t, locale, saved[key], None, None, link=False)
        return next(line for line in card.splitlines() if line.startswith("📍"))

    assert where("both", "ky") == "📍 Мисал көчөсү, 1" and where("both", "ru") == "📍 ул. Примерная, 1"
    assert where("beside", "ky") == "📍 Мисал көчөсү, 2" and where("beside", "ru") == "📍 ул. Примерная, 2"
    assert where("ru-only", "ky") == "📍 ул. Примерная, 1 (орусча)"
    assert where("ru-only", "ru") == "📍 ул. Примерная, 1"
    assert where("ky-only", "ru") == "📍 Мисал көчөсү, 4 (на кыргызском)"
    assert b"LOCATION:\xd0\x9c\xd0\xb8\xd1\x81\xd0\xb0\xd0\xbb" in ics(saved["both"], "ky", START)  # "Мисал"

    bad = [
        {**EVENT, "key": "x", "address": {"ky": "", "ru": ""}},
        {**EVENT, "key": "y", "address": "a" * 301},
    ]
    _, problems = importer.load(write(tmp_path, "bad.yaml", bad), START)
    assert any("needs an address" in p for p in problems) and any("longer than 300" in p for p in problems)


def test_events_list_says_when_there_is_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STATE_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'list.sqlite3'}")
    assert main(["events", "list"]) == 0
    assert capsys.readouterr().out.strip() == "No upcoming events."
    day = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()  # the CLI uses the real clock
    path = write(tmp_path, "one.yaml", [{**EVENT, "starts": f"{day}T10:00", "ends": f"{day}T12:00"}])
    assert main(["events", "import", str(path)]) == 0
    assert capsys.readouterr().out.split() == ["created", "reception-moscow-1"]
    assert main(["events", "import", str(path)]) == 0
    assert capsys.readouterr().out.split() == ["unchanged", "reception-moscow-1"]
    assert main(["events", "list"]) == 0
    assert "reception-moscow-1" in capsys.readouterr().out
