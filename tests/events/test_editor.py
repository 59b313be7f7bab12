"""Staff create and edit events in the bot; people subscribe to new-event notices; a notice drafted
from an event goes out with a button to its card. Through the real Dispatcher on a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiogram.methods import AnswerCallbackQuery, SendMessage
from sqlalchemy import select

from bot.broadcasts.callbacks import BcCb
from bot.context import AppContext
from bot.events.callbacks import EvCb
from bot.events.tables import events, subscriptions
from bot.menu.callbacks import LangCb, SettingsAction, SettingsCb
from bot.storage.tables import outbox
from tests.conftest import STAFF, Feed
from tests.support import updates
from tests.support.session import FakeSession

KY_FAN, RU_CITY, RU_OTHER, NOBODY = 301, 302, 303, 304


async def start(feed: Feed, user: int, locale: str) -> None:
    await feed(updates.message(user, "/start"))
    await feed(updates.click(user, LangCb(code=locale).pack()))


async def ed(feed: Feed, value: str) -> None:
    await feed(updates.click(STAFF, EvCb(action="ed", kind=value).pack()))


async def say(feed: Feed, text: str) -> None:
    await feed(updates.message(STAFF, text))


async def create_reception(feed: Feed, session: FakeSession) -> None:
    """The whole dialog for an in-person reception in Novosibirsk, with mistakes along the way."""
    await start(feed, STAFF, "ru")
    await say(feed, "/event_new")
    await ed(feed, "joint_reception")
    await ed(feed, "akyikatchy")
    await ed(feed, "rf_commissioner")
    await ed(feed, "done")
    await say(feed, "Биргелешкен кабыл алуу")
    await say(feed, "x" * 201)  # too long: asked again
    assert "201" in session.last_text(STAFF)
    await say(feed, "Совместный приём граждан <Новосибирск> & консультация")
    await say(feed, "Акыйкатчы жана Россиянын Укук коргоочусу мигранттарды кабыл алышат.")
    await say(feed, "Акыйкатчы и Уполномоченный РФ принимают мигрантов.")
    await ed(feed, "none")  # nothing to bring (ky)
    await say(feed, "Паспорт, документы по делу")
    await ed(feed, "novosibirsk")
    await say(feed, "ул. Примерная, 1 (ПРИМЕР)")
    assert "кыргызском" in session.last_text(STAFF)  # the address in Kyrgyz: optional
    await ed(feed, "none")
    await say(feed, "ftp://maps.example.org/1")  # not https
    assert "https://" in session.last_text(STAFF)
    await say(feed, "https://maps.example.org/?q=1&z=2")
    await say(feed, "01.11.2026 10:00")  # in the past for the frozen clock (23.11.2026)
    assert "прошло" in session.last_text(STAFF)
    await say(feed, "19.12.2026 10:00")
    await say(feed, "09:00")  # before the start
    assert "позже начала" in session.last_text(STAFF)
    await say(feed, "13:00")
    await say(feed, "0")
    assert "целое число" in session.last_text(STAFF)
    await say(feed, "40")
    await ed(feed, "yes")  # registration needed


async def rows(app: AppContext, table: Any, *where: Any) -> list[Any]:
    async with app.db.connection() as conn:
        return list(await conn.execute(select(table).where(*where)))


async def test_staff_create_an_event_with_preview_and_subscribers_hear_of_it(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    for user, locale in ((KY_FAN, "ky"), (RU_CITY, "ru"), (RU_OTHER, "ru"), (NOBODY, "ky")):
        await start(feed, user, locale)
    # Subscriptions: all events (ky), Novosibirsk (ru), webinars only (ru); NOBODY none.
    await feed(updates.click(KY_FAN, SettingsCb(action=SettingsAction.EVENT_NOTICES).pack()))
    assert "Жаңы иш-чаралар" in session.last_text(KY_FAN)
    await feed(updates.click(KY_FAN, EvCb(action="sub", kind="all").pack()))
    await feed(updates.click(RU_CITY, EvCb(action="sub", kind="city.novosibirsk").pack()))
    await feed(updates.click(RU_OTHER, EvCb(action="sub", kind="kind.webinar").pack()))

    session.clear()
    await create_reception(feed, session)
    previews = session.texts(STAFF)
    ky_card = next(p for p in previews if "Биргелешкен кабыл алуу" in p and "Так увидят" in p)
    ru_card = next(p for p in previews if "Совместный приём граждан" in p and "Так увидят" in p)
    assert "19.12.2026 10:00" in ky_card and "Новосибирск" in ru_card
    # No Kyrgyz address given: Kyrgyz readers see the Russian one, marked as such.
    assert "ул. Примерная, 1 (ПРИМЕР) (орусча)" in ky_card
    assert "ул. Примерная, 1 (ПРИМЕР)" in ru_card and "(на " not in ru_card
    assert not await rows(app, events)  # nothing saved before "Save"

    await feed(updates.click(STAFF, EvCb(action="edsave").pack()))
    (saved,) = await rows(app, events)
    assert saved.starts_at == datetime(2026, 12, 19, 3, tzinfo=UTC)  # 10:00 Novosibirsk = UTC+7
    assert saved.ends_at == datetime(2026, 12, 19, 6, tzinfo=UTC)
    assert saved.capacity == 40 and saved.registration and saved.city == "novosibirsk"
    assert saved.bring_ky is None and saved.bring_ru == "Паспорт, документы по делу"
    assert saved.organisers == "akyikatchy,rf_commissioner"
    assert saved.map_url == "https://maps.example.org/?q=1&z=2"
    assert "https://maps.example.org/?q=1&amp;z=2" in ru_card  # escaped for HTML
    assert "создано" in session.last_text(STAFF)

    notices = await rows(app, outbox, outbox.c.kind == "event_notice")
    by_chat = {row.chat_id: row.payload for row in notices}
    assert set(by_chat) == {KY_FAN, RU_CITY}  # not the webinar subscriber, not the unsubscribed
    assert "Жаңы иш-чара" in by_chat[KY_FAN]["text"] and "Новое мероприятие" in by_chat[RU_CITY]["text"]
    assert "&lt;Новосибирск&gt; &amp; консультация" in by_chat[RU_CITY]["text"]  # escaped exactly once
    assert "&lt;Новосибирск&gt; &amp; консультация" in ru_card
    button = by_chat[RU_CITY]["reply_markup"]["inline_keyboard"][0][0]
    assert button["callback_data"] == EvCb(action="show", id=saved.id).pack()

    # A second tap on "Save" finds no draft and creates nothing.
    await feed(updates.click(STAFF, EvCb(action="edsave").pack()))
    assert len(await rows(app, events)) == 1


async def test_rescheduling_in_the_bot_tells_registrants(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await create_reception(feed, session)
    await feed(updates.click(STAFF, EvCb(action="edsave").pack()))
    (saved,) = await rows(app, events)
    await start(feed, RU_CITY, "ru")
    await feed(updates.click(RU_CITY, EvCb(action="reg", id=saved.id).pack()))
    await feed(updates.click(RU_CITY, EvCb(action="skip", id=saved.id).pack()))
    await feed(updates.click(RU_CITY, EvCb(action="agree", id=saved.id).pack()))

    await feed(updates.click(STAFF, EvCb(action="edit", id=saved.id).pack()))
    await feed(updates.click(STAFF, EvCb(action="edgroup", kind="time").pack()))
    await say(feed, "20.12.2026 11:00")
    await say(feed, "14:00")
    await feed(updates.click(STAFF, EvCb(action="edsave").pack()))
    (moved,) = await rows(app, events)
    assert moved.starts_at == datetime(2026, 12, 20, 4, tzinfo=UTC)
    assert moved.status == "rescheduled" and moved.version == saved.version + 1
    notices = await rows(app, outbox, outbox.c.kind == "event_notice", outbox.c.chat_id == RU_CITY)
    assert any(
        "перенесено" in row.payload["text"] and "20.12.2026 11:00" in row.payload["text"] for row in notices
    )


async def test_abandoning_saves_nothing_and_others_cannot_create(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await start(feed, STAFF, "ky")
    await say(feed, "/event_new")
    await ed(feed, "webinar")
    await feed(updates.click(STAFF, EvCb(action="edquit").pack()))
    assert "эч нерсе сакталган жок" in session.last_text(STAFF)
    assert not await rows(app, events)

    await start(feed, NOBODY, "ru")
    await feed(updates.message(NOBODY, "/event_new"))
    assert session.last_text(NOBODY) == app.t("ru", "not-allowed")
    await feed(updates.click(NOBODY, EvCb(action="edsave").pack()))  # no draft: the button has expired
    assert not await rows(app, events)


async def test_an_online_event_asks_for_zone_and_link_and_rejects_forged_choices(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await start(feed, STAFF, "ru")
    await say(feed, "/event_new")
    await ed(feed, "party")  # forged kind
    assert session.sent(AnswerCallbackQuery)[-1].show_alert
    await ed(feed, "webinar")
    await ed(feed, "akyikatchy")
    await ed(feed, "done")
    for text in ("Вебинар", "Вебинар", "Сүрөттөмө", "Описание"):
        await say(feed, text)
    await ed(feed, "none")
    await ed(feed, "none")
    await ed(feed, "online")
    await ed(feed, "almaty")  # times in Almaty time (UTC+5 since March 2024)
    await say(feed, "Zoom")
    await say(feed, "http://example.org")  # not https
    assert "https://" in session.last_text(STAFF)
    await say(feed, "https://example.org/webinar")
    await ed(feed, "no")  # the link only for registrants
    await say(feed, "05.12.2026 18:00")
    await say(feed, "19:30")
    await ed(feed, "none")  # unlimited seats
    await ed(feed, "yes")
    await feed(updates.click(STAFF, EvCb(action="edsave").pack()))
    (saved,) = await rows(app, events)
    assert saved.online and saved.timezone == "Asia/Almaty" and not saved.link_public
    assert saved.starts_at == datetime(2026, 12, 5, 13, tzinfo=UTC) and saved.capacity is None


async def test_subscriptions_toggle_refuse_forged_scopes_and_are_forgotten(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await start(feed, KY_FAN, "ky")
    await feed(updates.click(KY_FAN, EvCb(action="sub", kind="kind.webinar").pack()))
    await feed(updates.click(KY_FAN, EvCb(action="sub", kind="city.atlantis").pack()))
    assert session.sent(AnswerCallbackQuery)[-1].show_alert  # forged: refused
    assert [r.scope for r in await rows(app, subscriptions)] == ["kind:webinar"]
    await feed(updates.click(KY_FAN, EvCb(action="sub", kind="kind.webinar").pack()))  # off again
    assert not await rows(app, subscriptions)
    await feed(updates.click(KY_FAN, EvCb(action="sub", kind="all").pack()))
    await app.eraser.erase(KY_FAN)
    assert not await rows(app, subscriptions)


async def test_notify_subscribers_from_an_event_prefills_both_languages(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await create_reception(feed, session)
    await feed(updates.click(STAFF, EvCb(action="edsave").pack()))
    (saved,) = await rows(app, events)
    await start(feed, KY_FAN, "ky")
    await start(feed, RU_OTHER, "ru")
    await feed(updates.click(KY_FAN, EvCb(action="sub", kind="kind.joint_reception").pack()))
    await feed(updates.click(RU_OTHER, EvCb(action="sub", kind="kind.webinar").pack()))

    await feed(updates.click(STAFF, BcCb(action="fromevent", id=saved.id).pack()))
    await feed(updates.click(STAFF, BcCb(action="aud", value="kind.joint_reception").pack()))
    assert "Получателей: 1" in session.last_text(STAFF)
    await feed(updates.click(STAFF, BcCb(action="send").pack()))
    (row,) = await rows(app, outbox, outbox.c.kind == "broadcast")
    assert row.chat_id == KY_FAN
    assert "Биргелешкен кабыл алуу" in row.payload["text"] and "19.12.2026 10:00" in row.payload["text"]
    keyboard = row.payload["reply_markup"]["inline_keyboard"]
    assert keyboard[0][0]["callback_data"] == EvCb(action="show", id=saved.id).pack()
    assert keyboard[-1][0]["callback_data"] == BcCb(action="unsub").pack()
    from bot.broadcasts.tables import broadcasts

    (draft,) = await rows(app, broadcasts)
    assert "<Новосибирск> & консультация" in draft.text_ru  # plain text, escaped once when sent

    # Non-staff cannot start one.
    await feed(updates.click(KY_FAN, BcCb(action="fromevent", id=saved.id).pack()))
    assert session.sent(AnswerCallbackQuery)[-1].show_alert


async def test_a_broadcast_link_button_must_be_https(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    await start(feed, STAFF, "ru")
    await say(feed, "/broadcast")
    await say(feed, "Кабар")
    await say(feed, "Сообщение")
    await feed(updates.click(STAFF, BcCb(action="nomedia").pack()))
    await feed(updates.click(STAFF, BcCb(action="btnlink").pack()))
    await say(feed, "javascript:alert(1)")
    assert "https://" in session.last_text(STAFF)
    await say(feed, "https://ombudsman.kg")
    await feed(updates.click(STAFF, BcCb(action="aud", value="all").pack()))
    await feed(updates.click(STAFF, BcCb(action="send").pack()))
    (row,) = await rows(app, outbox, outbox.c.kind == "broadcast")
    assert row.payload["reply_markup"]["inline_keyboard"][0][0]["url"] == "https://ombudsman.kg"
    assert isinstance(session.sent(SendMessage, STAFF)[-1], SendMessage)


async def test_the_list_filters_by_country_and_online(
    feed: Feed, session: FakeSession, app: AppContext
) -> None:
    from tests.events.test_events import load_samples

    samples = await load_samples(app)
    await start(feed, KY_FAN, "ru")

    async def listed(place: str) -> set[str]:
        session.clear()
        await feed(updates.click(KY_FAN, EvCb(action="list", place=place).pack()))
        (screen,) = [c for c in session.sent() if getattr(c, "reply_markup", None) is not None]
        ids = {
            EvCb.unpack(b.callback_data).id
            for row in screen.reply_markup.inline_keyboard
            for b in row
            if b.callback_data and b.callback_data.startswith("ev:show:")
        }
        return {key for key, event in samples.items() if event.id in ids}

    assert await listed("kz") == {"sample-reception-almaty"}
    assert await listed("ru") == {"sample-joint-reception-moscow", "sample-reception-novosibirsk"}
    assert await listed("online") == {"sample-webinar-registration-amina", "sample-info-session-students"}
    assert len(await listed("")) == 5
    session.clear()
    await feed(updates.click(KY_FAN, "ev:list:0::0:mars"))  # forged filter: the button has expired
    (answer,) = session.sent(AnswerCallbackQuery)
    assert answer.show_alert and answer.text == app.t("ru", "button-expired")


def test_answers_are_parsed_in_the_events_zone() -> None:
    from bot.events.editor import parse_text_answer

    now = datetime(2026, 11, 23, 9, tzinfo=UTC)
    raw: dict[str, Any] = {"timezone": "Asia/Bishkek"}
    assert parse_text_answer("starts", "23.11.2026 14:30", raw, now) == (None, "ev-ed-past", {})  # 08:30 UTC
    assert parse_text_answer("starts", "23.11.2026 15:30", raw, datetime(2026, 11, 23, 9, 29, tzinfo=UTC))[0]
    assert parse_text_answer("starts", "31.02.2027 10:00", raw, now)[1] == "ev-ed-bad-datetime"
    assert parse_text_answer("starts", "01.01.2029 10:00", raw, now)[1] == "ev-ed-too-far"
    raw["starts"] = "2026-12-05T23:00"
    assert parse_text_answer("ends", "23:30", raw, now)[0] == "2026-12-05T23:30"
    assert parse_text_answer("ends", "01:00", raw, now)[1] == "ev-ed-end-before"  # same day: before
    assert parse_text_answer("ends", "06.12.2026 01:00", raw, now)[0] == "2026-12-06T01:00"
    assert parse_text_answer("ends", "25:00", raw, now)[1] == "ev-ed-bad-end"
    assert parse_text_answer("capacity", "-3", raw, now)[1] == "ev-ed-bad-capacity"
    assert parse_text_answer("title_ru", "  ", raw, now)[1] == "ev-ed-empty"
    assert parse_text_answer("kind", "webinar", {}, now)[1] == "ev-ed-unexpected"  # no zone, no crash
