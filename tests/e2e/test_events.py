"""Events imported from the sample file, found, registered for and added to a calendar through the
real process and the fake Bot API."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from icalendar import Calendar

from bot.simulator.server import FakeTelegram, Sent
from tests.e2e.harness import ROOT, StartBot

pytestmark = pytest.mark.e2e
USER = 6301


async def test_import_register_and_calendar(tg: FakeTelegram, bot_process: StartBot, tmp_path: Path) -> None:
    bot = await bot_process()
    # The shipped sample as it is: its dates are relative to the day of import.
    out = await _import(bot.env, ROOT / "data/events/sample_events.yaml")
    assert out.count("created") == 5
    assert (await _import(bot.env, ROOT / "data/events/sample_events.yaml")).count("unchanged") == 5

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


async def test_staff_create_an_event_in_the_bot_and_subscribers_are_told(
    tg: FakeTelegram, bot_process: StartBot
) -> None:
    from tests.e2e.harness import STAFF

    bot = await bot_process(mode="webhook")
    for user, language in ((USER, "Кыргызча"), (STAFF, "Русский")):
        mark = tg.checkpoint()
        tg.user_sends(user, "/start")
        chooser = await tg.wait_message(user, button=language, since=mark)
        mark = tg.checkpoint()
        tg.user_clicks(user, chooser, language)
        await tg.wait_message(user, since=mark)

    # The migrant asks for notices of every webinar.
    mark = tg.checkpoint()
    tg.user_sends(USER, "/settings")
    settings = await tg.wait_message(USER, button="Иш-чаралар тууралуу", since=mark)
    mark = tg.checkpoint()
    tg.user_clicks(USER, settings, "Иш-чаралар тууралуу")
    subscriptions = await tg.wait_message(USER, button="Вебинар", since=mark)
    mark = tg.checkpoint()
    tg.user_clicks(USER, subscriptions, "Вебинар")
    await tg.wait_message(USER, button="✅ Вебинар", since=mark)

    async def answer(text: str | None = None, button: str | None = None, expect: str | None = None) -> None:
        nonlocal prompt
        assert prompt is not None
        mark = tg.checkpoint()
        if text is not None:
            tg.user_sends(STAFF, text)
        else:
            assert button is not None
            tg.user_clicks(STAFF, prompt, button)
        prompt = await tg.wait_message(STAFF, expect, since=mark)

    prompt: Sent | None = None
    start = (datetime.now() + timedelta(days=10)).replace(hour=18, minute=0)
    mark = tg.checkpoint()
    tg.user_sends(STAFF, "/event_new")
    prompt = await tg.wait_message(STAFF, "Вид мероприятия", since=mark)
    await answer(button="Вебинар", expect="Организаторы")
    await answer(button="Акыйкатчы", expect="Организаторы")
    await answer(button="Готово", expect="кыргызском")
    await answer("Мигранттын укуктары: вебинар", expect="русском")
    await answer("Права мигрантов: вебинар", expect="кыргызском")
    await answer("Патент жана каттоо тууралуу суроолор.", expect="русском")
    await answer("Вопросы о патенте и регистрации.", expect="Что взять")
    await answer(button="Нет", expect="Что взять")
    await answer(button="Нет", expect="Где проходит")
    await answer(button="Онлайн", expect="какого города")
    await answer(button="Бишкек", expect="Площадка")
    await answer("Zoom", expect="Ссылка")
    await answer("https://example.org/e2e-webinar", expect="Показывать ссылку")
    await answer(button="Нет", expect="Начало")
    await answer(start.strftime("%d.%m.%Y %H:%M"), expect="Окончание")
    await answer("19:30", expect="Сколько мест")
    await answer(button="Без ограничения", expect="регистрация")
    await answer(button="Да", expect="Всё верно")
    await answer(button="Сохранить", expect="создано")

    notice = await tg.wait_message(USER, "🆕 Жаңы иш-чара")
    assert "Мигранттын укуктары: вебинар" in notice.text and start.strftime("%d.%m.%Y 18:00") in notice.text
    mark = tg.checkpoint()
    tg.user_clicks(USER, notice, "Толугураак")
    card = await tg.wait_message(USER, "Патент жана каттоо", since=mark)
    assert "example.org/e2e-webinar" not in card.text  # registrants only
    assert await bot.stop() == 0
    assert "Traceback" not in bot.log()


async def _import(bot_env: dict[str, str], path: Path) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "events", "import", str(path),
        cwd=ROOT, env=bot_env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()


@pytest.mark.timeout(240)
async def test_a_registrant_gets_exactly_one_reminder_with_the_private_link_across_a_restart(
    tg: FakeTelegram, bot_process: StartBot, tmp_path: Path
) -> None:
    # Reminders 3 minutes before the start; the webinar starts in a little under 3 minutes, so its
    # reminder is due as soon as someone registers.
    env = {"REMINDER_HOURS": "0.05", "LOG_LEVEL": "DEBUG"}
    bot = await bot_process(**env)
    zone = ZoneInfo("Asia/Bishkek")
    starts = (datetime.now(zone) + timedelta(seconds=170)).replace(microsecond=0, tzinfo=None)
    link = "https://example.org/e2e-reminder-webinar"
    webinar = {
        "key": "e2e-reminder-webinar",
        "kind": "webinar",
        "organisers": ["akyikatchy"],
        "title": {"ky": "Эскертме текшерүү вебинары", "ru": "Вебинар для проверки напоминаний"},
        "description": {"ky": "Сыноо.", "ru": "Проверка."},
        "starts": starts.isoformat(),
        "ends": (starts + timedelta(hours=1)).isoformat(),
        "timezone": "Asia/Bishkek",
        "online": True,
        "platform": "Zoom",
        "link": link,
        "link_public": False,
    }
    path = tmp_path / "soon.yaml"
    path.write_text(yaml.safe_dump([webinar], allow_unicode=True), encoding="utf-8")
    assert "created" in await _import(bot.env, path)

    mark = tg.checkpoint()
    tg.user_sends(USER, "/start")
    language = await tg.wait_message(USER, button="Русский", since=mark)
    mark = tg.checkpoint()
    tg.user_clicks(USER, language, "Русский")
    await tg.wait_message(USER, since=mark)
    mark = tg.checkpoint()
    tg.user_sends(USER, "/events")
    listing = await tg.wait_message(USER, button="проверки напоминаний", since=mark)
    mark = tg.checkpoint()
    tg.user_clicks(USER, listing, "проверки напоминаний")
    card = await tg.wait_message(USER, "Проверка.", since=mark)
    assert link not in card.text  # registrants only
    mark = tg.checkpoint()
    tg.user_clicks(USER, card, "Зарегистрироваться")
    consent = await tg.wait_message(USER, "Согласны", since=mark)
    mark = tg.checkpoint()
    tg.user_clicks(USER, consent, "Согласен")
    await tg.wait_message(USER, "зарегистрированы", since=mark)

    # The reminder job runs every 30 s: the reminder, with the link, arrives within one round.
    reminder = await tg.wait_message(USER, "Напоминание", since=mark, timeout=60)
    assert link in reminder.text

    def reminders() -> list[Sent]:
        return [s for s in tg.outputs if s.chat_id == USER and "Напоминание" in s.text]

    await tg.wait_idle(quiet=1.0)
    assert len(reminders()) == 1
    assert await bot.stop() == 0

    # After a restart the reminder job runs at once and finds the reminder already sent.
    seen = len(bot.log())
    again = await bot_process(**env)
    for _ in range(150):  # the log file is not something FakeTelegram can wait on: poll it
        if "reminder check" in again.log()[seen:]:
            break
        await asyncio.sleep(0.2)
    else:
        raise AssertionError(f"the reminder job did not run after the restart; log:\n{again.log()[seen:]}")
    await tg.wait_idle(quiet=1.5)
    assert len(reminders()) == 1
    assert await again.stop() == 0
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        rows = db.execute("SELECT status FROM outbox WHERE kind = 'reminder'").fetchall()
    assert rows == [("sent",)]
    assert "Traceback" not in again.log()
