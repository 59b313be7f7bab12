"""Property: whatever Telegram delivers, the real Dispatcher never fails and people are still answered.

Hypothesis drives the real application (create_app with the fake session, SQLite in a temporary
directory) with generated updates of every kind the bot can receive: text with and without commands,
commands with junk arguments (also addressed to other bots), photos, documents, voice notes, stickers,
locations, contacts, captions; button presses with random, truncated, oversized and forged data, with
data copied from the keyboards the bot sent to someone else, on messages Telegram no longer shows
(InaccessibleMessage) or without a message; edited messages; my_chat_member and chat_member updates;
messages from unknown groups and channels; and the same update delivered twice.

After every generated sequence: no handler raised (the error handler logs every exception at ERROR),
nothing was logged at ERROR by any logger, and a migrant who writes /start or a question still gets an
answer.

One application serves all examples of a run (the state that builds up — forms half filled, people
erased, broadcasts queued — is part of what is tested), hence the function-scoped fixture health check
is suppressed on purpose.
"""

from __future__ import annotations

import itertools
import logging
import os
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram.methods import SendMessage
from aiogram.types import (
    CallbackQuery,
    Chat,
    ChatMemberBanned,
    ChatMemberLeft,
    ChatMemberMember,
    ChatMemberUpdated,
    Contact,
    Document,
    InaccessibleMessage,
    InlineKeyboardMarkup,
    Location,
    Message,
    MessageEntity,
    PhotoSize,
    Sticker,
    Update,
    User,
    Voice,
)
from hypothesis import HealthCheck, given
from hypothesis import settings as run_settings
from hypothesis import strategies as st

from bot.config import Settings
from bot.context import AppContext
from bot.events import importer
from bot.paths import DATA_DIR
from tests.conftest import ADMIN, OPERATOR, OPERATORS_CHAT, STAFF, START
from tests.support.session import BOT_USER, FakeSession

MIGRANTS = (5001, 5002, 5003)
PEOPLE = (*MIGRANTS, STAFF, OPERATOR, ADMIN)
UNKNOWN_GROUP, CHANNEL = -1009999999999, -1008888888888
COMMANDS = (
    "start", "menu", "help", "language", "settings", "forget", "topics", "events", "complaint",
    "my_complaints", "broadcast", "broadcasts", "event_new", "events_admin", "kb_reload", "queue", "case",
    "stats", "export", "cancel", "nonexistent",
)  # fmt: skip
# Where an example starts: a dialog of the person's role (0: any migrant).
ENTRY = {
    0: ("complaint", "events", "topics", "settings", "my_complaints"),
    STAFF: ("broadcast", "broadcast", "events_admin", "event_new", "broadcasts"),
    ADMIN: ("broadcast", "event_new", "events_admin"),
    OPERATOR: ("queue", "stats", "complaint"),
}
ROLE_COMMANDS = {
    STAFF: ("broadcast", "broadcasts", "event_new", "events_admin"),
    ADMIN: ("broadcast", "event_new", "kb_reload", "events_admin"),
    OPERATOR: ("queue", "case", "stats", "export", "complaint"),
}
PREFIXES = ("bc", "m", "lang", "set", "cstart", "ci", "cm", "op", "ev", "kb", "form")
# FUZZ_PREFIXES=bc,m,lang,set,form limits forged and replayed button data to some features (while
# another feature's known crash is being fixed); unset, every feature's buttons are fuzzed.
ONLY = tuple(p for p in os.environ.get("FUZZ_PREFIXES", "").split(",") if p)
# Known crashes in the events feature, fixed on its own branch: until that is merged, its buttons are
# pressed on accessible messages only. FUZZ_ALL=1 (or deleting this after the merge) lifts it.
#   ev:reg:<id>  on an InaccessibleMessage → AssertionError at bot/events/router.py ("reg", line 247)
#   ev:drop:<id> on an InaccessibleMessage → AssertionError at bot/events/staff.py (line 126)
NOT_ON_GONE_MESSAGES: tuple[str, ...] = ()  # every feature answers buttons on vanished messages
WORDS = (
    "all", "ky", "ru", "city.moscow", "kind.webinar", "event", "take", "reply", "done", "send", "agree",
    "skip", "cancel", "back", "show", "reg", "unreg", "ics", "list", "my", "subs", "pause", "stop",
    "aud", "same", "nomedia", "go", "drop", "wages", "police", "country", "category", "home", "about",
)  # fmt: skip
QUESTIONS = ("патент керекпи", "меня задержали полиция", "айлык бербей жатат", "регистрация как сделать")

_ids = itertools.count(10_000_000)


def _user(user_id: int, language: str | None = "ru") -> User:
    return User(id=user_id, is_bot=False, first_name="Айбек", language_code=language)


def _chat(kind: str, user_id: int) -> Chat:
    if kind == "group":
        return Chat(id=OPERATORS_CHAT, type="supergroup", title="operators")
    if kind == "unknown_group":
        return Chat(id=UNKNOWN_GROUP, type="group", title="somewhere")
    return Chat(id=user_id, type="private")


def _now() -> datetime:
    return datetime.now(UTC)


def _message(user_id: int, chat: Chat, language: str | None, **fields: Any) -> Message:
    return Message(
        message_id=next(_ids), date=_now(), chat=chat, from_user=_user(user_id, language), **fields
    )


def _command_text(command: str, args: str, mention: str) -> tuple[str, list[MessageEntity]]:
    head = f"/{command}{mention}"
    text = f"{head} {args}".rstrip()
    return text, [MessageEntity(type="bot_command", offset=0, length=len(head))]


JUNK = st.text(max_size=80) | st.sampled_from(
    ["", " ", "1", "-1", "99999999999999999999999", "0x10", "💥" * 30]
)


@st.composite
def payloads(draw: st.DrawFn, user: int = 0) -> dict[str, Any]:
    """Fields of a message: text, a command, or one kind of media (maybe with a caption)."""
    kind = draw(
        st.sampled_from(
            ["text", "text", "question", "command", "command", "photo", "document", "voice", "sticker",
             "location", "contact", "empty"]
        )
    )  # fmt: skip
    caption = draw(st.none() | st.text(max_size=50))
    uid = str(next(_ids))
    if kind == "text":
        return {"text": draw(st.text(min_size=1, max_size=300))}
    if kind == "question":
        return {"text": draw(st.sampled_from(QUESTIONS))}
    if kind == "command":
        mention = draw(st.sampled_from(["", "", f"@{BOT_USER.username}", "@other_bot"]))
        command = draw(st.sampled_from(COMMANDS))
        own = draw(st.sampled_from(ROLE_COMMANDS.get(user, COMMANDS)))
        if draw(st.booleans()):  # half the time, a command of the person's role (deeper dialogs)
            command = own
        text, entities = _command_text(command, draw(JUNK), mention)
        return {"text": text, "entities": entities}
    if kind == "photo":
        size = draw(st.integers(min_value=0, max_value=60_000_000))
        photo = [PhotoSize(file_id=f"p{uid}", file_unique_id=uid, width=90, height=90, file_size=size)]
        return {"photo": photo, "caption": caption}
    if kind == "document":
        size = draw(st.integers(min_value=0, max_value=60_000_000))
        return {
            "document": Document(file_id=f"d{uid}", file_unique_id=uid, file_size=size),
            "caption": caption,
        }
    if kind == "voice":
        return {"voice": Voice(file_id=f"v{uid}", file_unique_id=uid, duration=3), "caption": caption}
    if kind == "sticker":
        sticker = Sticker(
            file_id=f"s{uid}", file_unique_id=uid, type="regular", width=512, height=512,
            is_animated=False, is_video=False,
        )  # fmt: skip
        return {"sticker": sticker}
    if kind == "location":
        return {"location": Location(latitude=55.75, longitude=37.62)}
    if kind == "contact":
        return {"contact": Contact(phone_number="+70000000000", first_name="Test")}
    return {}  # a service-like message without text or media


class Driver:
    """Feeds updates to the real dispatcher and remembers what a person could press later."""

    def __init__(self, app: AppContext, session: FakeSession) -> None:
        self.app = app
        self.session = session
        self.buttons: dict[str, None] = {}  # callback data of the keyboards the bot sent, newest last
        self.fed: list[Update] = []
        self.latest: dict[int, list[str]] = {}  # per chat: the buttons of the last keyboard sent there

    async def feed(self, update: Update) -> list[Any]:
        """Feed one update; returns the Bot API calls it caused."""
        assert self.app.dispatcher is not None
        self.session.calls.clear()  # keeps memory flat over a long run
        await self.app.dispatcher.feed_update(self.app.bot, update)
        self.fed = [*self.fed[-49:], update]
        for call in self.session.calls:
            markup = getattr(call, "reply_markup", None)
            if isinstance(markup, InlineKeyboardMarkup):
                chat_id = getattr(call, "chat_id", None)
                if isinstance(chat_id, int):
                    self.latest[chat_id] = [
                        b.callback_data for r in markup.inline_keyboard for b in r if b.callback_data
                    ]
                for row in markup.inline_keyboard:
                    for button in row:
                        if button.callback_data:
                            self.buttons.pop(button.callback_data, None)
                            self.buttons[button.callback_data] = None
        while len(self.buttons) > 400:
            del self.buttons[next(iter(self.buttons))]
        return list(self.session.calls)

    def allowed(self, data: str) -> bool:
        return not ONLY or data.split(":", 1)[0] in ONLY


@st.composite
def forged_data(draw: st.DrawFn, driver: Driver, user: int) -> str:
    # Every value is drawn whatever the application's state, so that Hypothesis sees the same shape of
    # data on every run; the state (buttons seen so far) only decides how they are combined.
    choice = draw(st.sampled_from([0, 0, 0, 1, 2, 3, 4, 5, 5, 5, 6, 6, 6, 6, 6, 6]))
    index = draw(st.integers(min_value=0, max_value=10**6))
    position = draw(st.integers(min_value=1, max_value=6))
    odd = draw(
        st.sampled_from(["", "-1", "0", "99999999999999999999999999999999", "1e9", "ky", "x" * 70, "💥"])
        | st.integers(min_value=-(2**64), max_value=2**64).map(str)
    )
    cut = draw(st.integers(min_value=0, max_value=80))
    suffix = draw(st.text(min_size=1, max_size=80))
    raw = draw(st.text(max_size=100))
    prefix = draw(st.sampled_from([p for p in PREFIXES if not ONLY or p in ONLY]))
    fields = draw(
        st.lists(
            st.sampled_from(WORDS)
            | st.integers(min_value=-(2**70), max_value=2**70).map(str)
            | st.integers(min_value=0, max_value=12).map(str)
            | st.text(alphabet="abcxyz019._-", max_size=70),
            max_size=5,
        )
    )
    own = [b for b in driver.latest.get(user, []) if driver.allowed(b)]
    if choice == 6 and own:  # what a person does most: press a button of the last message they got
        return own[index % len(own)]
    real = [b for b in reversed(driver.buttons) if driver.allowed(b)]  # newest first
    if (choice <= 2 or choice == 5) and real:
        data = real[index % min(len(real), 60)]  # replayed, perhaps by someone else or on an old message
        if choice == 1:
            return data[:cut]  # truncated
        if choice == 2:
            return data + suffix  # oversized
        if choice == 5:  # one field changed: out of range, negative, junk, too long
            parts = data.split(":")
            parts[1 + position % (len(parts) - 1) if len(parts) > 1 else 0] = odd
            return ":".join(parts)
        return data
    if choice == 3 and not ONLY:
        return raw
    return ":".join([prefix, *fields])


@st.composite
def updates(draw: st.DrawFn, driver: Driver, protagonist: int) -> Update:
    kind = draw(
        st.sampled_from(
            ["message"] * 6 + ["callback"] * 6
            + ["edited", "group", "unknown_group", "channel", "my_chat_member", "chat_member", "duplicate"]
        )
    )  # fmt: skip
    # Mostly the person this example follows, so that dialogs go several steps deep; sometimes others.
    user = draw(st.sampled_from([protagonist] * 3 + list(PEOPLE)))
    language = draw(st.sampled_from(["ru", "ky", "en", None]))
    index = draw(st.integers(min_value=0, max_value=10**6))
    if kind == "duplicate":
        fields = draw(payloads(user))  # drawn even when unused: the same shape of data on every run
        if driver.fed:
            return driver.fed[index % len(driver.fed)]  # the same update_id again
        return Update(
            update_id=next(_ids), message=_message(user, _chat("private", user), language, **fields)
        )
    if kind in {"message", "group", "unknown_group"}:
        chat = _chat(kind, user)
        return Update(update_id=next(_ids), message=_message(user, chat, language, **draw(payloads(user))))
    if kind == "edited":
        message = _message(user, _chat("private", user), language, **draw(payloads(user)))
        return Update(update_id=next(_ids), edited_message=message.model_copy(update={"edit_date": 1}))
    if kind == "channel":
        post = Message(
            message_id=next(_ids), date=_now(), chat=Chat(id=CHANNEL, type="channel"),
            sender_chat=Chat(id=CHANNEL, type="channel"), text=draw(st.text(max_size=50)) or "x",
        )  # fmt: skip
        return Update(update_id=next(_ids), channel_post=post)
    if kind in {"my_chat_member", "chat_member"}:
        target = BOT_USER if kind == "my_chat_member" else _user(user)
        chat = _chat(draw(st.sampled_from(["private", "group", "unknown_group"])), user)
        old, new = draw(
            st.sampled_from(
                [
                    (ChatMemberMember(user=target), ChatMemberBanned(user=target, until_date=0)),
                    (ChatMemberBanned(user=target, until_date=0), ChatMemberMember(user=target)),
                    (ChatMemberLeft(user=target), ChatMemberMember(user=target)),
                ]
            )
        )
        updated = ChatMemberUpdated(
            chat=chat, from_user=_user(user, language), date=_now(), old_chat_member=old, new_chat_member=new
        )
        return Update(update_id=next(_ids), **{kind: updated})
    # a button press
    where = draw(st.sampled_from(["private"] * 3 + ["group", "gone", "gone", "gone", "none"]))
    chat = _chat("group" if where == "group" else "private", user)
    message: Message | InaccessibleMessage | None
    data = draw(forged_data(driver, chat.id if where == "group" else user))
    text = draw(st.sampled_from(["…", "x"]))
    if where == "gone" and data.split(":", 1)[0] not in NOT_ON_GONE_MESSAGES:
        message = InaccessibleMessage(chat=chat, message_id=next(_ids), date=0)
    elif where == "none":
        message = None
    else:
        message = Message(message_id=next(_ids), date=_now(), chat=chat, text=text)
    query = CallbackQuery(
        id=str(next(_ids)),
        from_user=_user(user, language),
        chat_instance="ci",
        message=message,
        inline_message_id="inline" if message is None else None,
        data=data,
    )
    return Update(update_id=next(_ids), callback_query=query)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Flood control answers "slow down" and then stays silent by design; generated bursts would hit it.
    return settings.model_copy(update={"flood_limit": 1_000_000})


@pytest.fixture
async def driver(app: AppContext, session: FakeSession) -> Driver:
    return await prepare(app, session)


async def prepare(app: AppContext, session: FakeSession) -> Driver:
    items, problems = importer.load(DATA_DIR / "events" / "sample_events.yaml", START)
    assert not problems
    await app.services["events"].upsert(items)
    driver = Driver(app, session)
    # Everyone has started the bot and chosen a language, and the usual screens have been shown, so
    # that replayed buttons reach deep into every feature from the first example on.
    for number, person in enumerate(PEOPLE):
        await driver.feed(_command_update(person, "start"))
        await driver.feed(_click(person, f"lang:{'ky' if number % 2 else 'ru'}"))
    for person, command in (
        (MIGRANTS[0], "events"), (MIGRANTS[0], "topics"), (MIGRANTS[1], "complaint"),
        (MIGRANTS[2], "settings"), (MIGRANTS[2], "my_complaints"), (STAFF, "broadcast"),
        (STAFF, "events_admin"), (ADMIN, "event_new"),
    ):  # fmt: skip
        await driver.feed(_command_update(person, command))
    return driver


def _command_update(user: int, command: str) -> Update:
    text, entities = _command_text(command, "", "")
    return Update(
        update_id=next(_ids),
        message=_message(user, _chat("private", user), "ru", text=text, entities=entities),
    )


def _click(user: int, data: str) -> Update:
    message = Message(message_id=next(_ids), date=_now(), chat=_chat("private", user), text="…")
    query = CallbackQuery(
        id=str(next(_ids)), from_user=_user(user), chat_instance="ci", message=message, data=data
    )
    return Update(update_id=next(_ids), callback_query=query)


class Errors(logging.Handler):
    """Every ERROR record of any logger, with the exception that caused it."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def errors() -> Iterator[Errors]:
    handler = Errors()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


def _explain(record: logging.LogRecord) -> str:
    if record.exc_info and record.exc_info[1] is not None:
        where = traceback.extract_tb(record.exc_info[2])
        ours = [frame for frame in where if "/bot/" in frame.filename] or where
        frame = ours[-1]
        return (
            f"{record.getMessage()}: {record.exc_info[1]!r} at {frame.filename}:{frame.lineno} ({frame.line})"
        )
    return record.getMessage()


def _describe(update: Update) -> str:
    return update.model_dump_json(exclude_none=True)[:600]


@run_settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    database=None,  # examples depend on the state of one application: replaying them elsewhere misleads
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_any_update_is_handled_without_error_and_people_are_still_answered(
    data: st.DataObject, driver: Driver, errors: Errors, session: FakeSession
) -> None:
    protagonist = data.draw(st.sampled_from(PEOPLE), label="protagonist")
    opening = data.draw(st.sampled_from([None, *ENTRY.get(protagonist, ENTRY[0])]), label="opens")
    count = data.draw(st.integers(min_value=1, max_value=10), label="updates")
    for number in range(count + 1):
        if number == 0:
            if opening is None:
                continue
            update = _command_update(protagonist, opening)
        else:
            update = data.draw(updates(driver, protagonist))
        errors.records.clear()
        try:
            await driver.feed(update)
        except Exception as exc:  # the dispatcher itself must not let anything out
            pytest.fail(f"{type(exc).__name__}: {exc} on {_describe(update)}")
        failures = [r for r in errors.records if r.levelno >= logging.ERROR]
        assert not failures, f"{_explain(failures[0])}\non {_describe(update)}"
    # Whatever happened, a migrant who writes is answered.
    migrant = data.draw(st.sampled_from(MIGRANTS), label="migrant")
    text = data.draw(st.sampled_from(["/start", *QUESTIONS]), label="then writes")
    entities = [MessageEntity(type="bot_command", offset=0, length=6)] if text == "/start" else None
    calls = await driver.feed(
        Update(
            update_id=next(_ids),
            message=_message(migrant, _chat("private", migrant), "ru", text=text, entities=entities),
        )
    )
    answers = [c for c in calls if isinstance(c, SendMessage) and c.chat_id == migrant]
    assert answers, f"{migrant} got no answer to {text!r}"
    assert not errors.records
