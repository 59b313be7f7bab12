"""Events imported from the sample file, found, registered for and added to a calendar through the
real process and the fake Bot API."""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml
from icalendar import Calendar

from bot.simulator.server import FakeTelegram
from tests.e2e.harness import ROOT, StartBot

pytestmark = pytest.mark.e2e
USER = 6301


async def test_import_register_and_calendar(tg: FakeTelegram, bot_process: StartBot, tmp_path: Path) -> None:
    bot = await bot_process()
    # The sample file, moved so that its events are always in the future when the test runs.
    events = yaml.safe_load((ROOT / "data/events/sample_events.yaml").read_text(encoding="utf-8"))
    first = min(datetime.fromisoformat(str(e["starts"])) for e in events)
    shift = max(timedelta(0), datetime.now() + timedelta(days=5) - first)
    for event in events:
        for field in ("starts", "ends"):
            event[field] = (datetime.fromisoformat(str(event[field])) + shift).isoformat(timespec="minutes")
    path = tmp_path / "events.yaml"
    path.write_text(yaml.safe_dump(events, allow_unicode=True), encoding="utf-8")
    command = [sys.executable, "-m", "bot", "events", "import", str(path)]
    process = await asyncio.create_subprocess_exec(
        *command, cwd=ROOT, env=bot.env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    assert out.decode().count("created") == 5

    mark = tg.checkpoint()
    tg.user_sends(USER, "/start")
    language = await tg.wait_message(USER, button="Кыргызча", since=mark)
    mark = tg.checkpoint()
    tg.user_clicks(USER, language, "Кыргызча")
    await tg.wait_message(USER, since=mark)

    mark = tg.checkpoint()
    tg.user_sends(USER, "/events")
    listing = await tg.wait_message(USER, "Жакынкы кабыл алуулар", since=mark)
    mark = tg.checkpoint()
    tg.user_clicks(USER, listing, "Вебинар — каттоо")
    card = await tg.wait_message(USER, "Москва облусунда каттоо", since=mark)
    assert "example.org/sample-webinar" not in card.text  # the link is for registrants only
    mark = tg.checkpoint()
    tg.user_clicks(USER, card, "Катталуу")
    consent = await tg.wait_message(USER, "Макулсузбу", since=mark)
    mark = tg.checkpoint()
    tg.user_clicks(USER, consent, "Макулмун")
    await tg.wait_message(USER, "Сиз катталдыңыз", since=mark)

    mark = tg.checkpoint()
    tg.user_clicks(USER, card, "Календарга")
    sent = await tg.wait_for(lambda: next((s for s in tg.outputs[mark:] if s.document), None))
    calendar = Calendar.from_ical(tg.files[sent.document["file_id"]])
    assert len(calendar.walk("VEVENT")) == 1
    assert await bot.stop() == 0
    assert "Traceback" not in bot.log()
