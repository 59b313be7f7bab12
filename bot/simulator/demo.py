"""`python -m bot demo`: chat with the real bot in a terminal, no Telegram token needed.

The real application (dispatcher, database, scheduler, sender) runs in long polling against
FakeTelegram on 127.0.0.1; this module plays the user. Type text to send it, `#N` (e.g. `#1`) to press
button N of the last message with buttons, `/quit` (or Ctrl+C, Ctrl+D) to leave. A line of digits is
text (a phone number, a year), never a button. The demo user is admin, staff and operator at once, so
staff and operator screens can be tried too; messages to the operators' group are shown with a prefix.
The database is a throw-away SQLite file removed at exit (DATABASE_URL is ignored) unless
`--database URL` names one to keep.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from bot.simulator.server import FakeTelegram, Sent

DEMO_TOKEN = "100000:demo-token-not-secret"
DEMO_USER = 700001
DEMO_OPERATORS_CHAT = -1009990001
QUIET = 0.4  # seconds without a bot call: the bot has finished answering
PRESS = re.compile(r"^#\s*(\d{1,3})$")  # "#2" presses button 2; "2" or "0555123456" is text


def button_number(line: str) -> int | None:
    """The 1-based button number if the line presses a button, else None (the line is text)."""
    match = PRESS.match(line.strip())
    return int(match.group(1)) if match else None


class Terminal:
    def __init__(self, tg: FakeTelegram) -> None:
        self.tg = tg
        self.files_dir: Path | None = None  # created for the first file the bot sends; kept at exit
        self.shown = 0
        self.last_with_buttons: Sent | None = None

    def print_new(self) -> None:
        for sent in self.tg.outputs[self.shown :]:
            prefix = "[operators] " if sent.chat_id == DEMO_OPERATORS_CHAT else ""
            print(f"\n{prefix}🤖 {sent.text}" if sent.text else f"\n{prefix}🤖")
            if sent.document:
                if self.files_dir is None:
                    self.files_dir = Path(tempfile.mkdtemp(prefix="migrant-bot-demo-files-"))
                name = Path(sent.document.get("file_name") or sent.document["file_id"]).name
                path = self.files_dir / name
                path.write_bytes(self.tg.files[sent.document["file_id"]])
                print(f"   📎 {name} → {path}")
            for number, button in enumerate(sent.buttons, 1):
                target = f" ({button.url})" if button.url else ""
                print(f"   [#{number}] {button.text}{target}")
            if sent.buttons:
                self.last_with_buttons = sent
        self.shown = len(self.tg.outputs)

    async def send(self, line: str) -> None:
        mark = self.tg.checkpoint()
        number = button_number(line)
        if number is not None:
            last = self.last_with_buttons
            buttons = last.buttons if last is not None else []
            if not 1 <= number <= len(buttons) or buttons[number - 1].callback_data is None:
                print("   (no such button: type #N with N from the [#N] list of the last message)")
                return
            if last is not None:
                self.tg.user_presses(DEMO_USER, last, buttons[number - 1].callback_data or "")
        else:
            self.tg.user_sends(DEMO_USER, line, language_code="ru")
        await self.settle(mark)

    async def settle(self, mark: int, timeout: float = 8.0) -> None:
        with contextlib.suppress(TimeoutError):
            await self.tg.wait_for(lambda: len(self.tg.outputs) > mark, timeout)
        while True:
            last = self.tg.calls[-1].at if self.tg.calls else 0.0
            if time.monotonic() - last >= QUIET:
                break
            await asyncio.sleep(QUIET / 2)
        self.print_new()


def _lines(script: str | None) -> list[str] | None:
    if script is None:
        return None
    text = sys.stdin.read() if script == "-" else Path(script).read_text(encoding="utf-8")
    return [line.rstrip("\n") for line in text.splitlines() if line.strip()]


async def _sample_events(app: object) -> None:
    """The demo shows the sample receptions and webinars (clearly marked samples)."""
    from bot.events import importer
    from bot.paths import EVENTS_DIR

    now = app.clock.now()  # type: ignore[attr-defined]
    items, problems = importer.load(EVENTS_DIR / "sample_events.yaml", now - timedelta(days=3650))
    if problems or not items:
        return
    # Keep the samples in the future whenever the demo runs: move them together so the first is in 3 days.
    shift = max(timedelta(0), now + timedelta(days=3) - min(item["starts_at"] for item in items))
    for item in items:
        item["starts_at"] += shift
        item["ends_at"] += shift
    await app.services["events"].upsert(items)  # type: ignore[attr-defined]


class Keyboard:
    """Lines typed in the terminal, read by a daemon thread so that Ctrl+C or the end of the program
    never waits for a blocked read (os.read: no buffered-reader lock held at interpreter exit)."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def put(item: str | None) -> None:
            with contextlib.suppress(RuntimeError):  # the loop is closed: the demo has ended
                loop.call_soon_threadsafe(self._queue.put_nowait, item)

        def read() -> None:
            pending = b""
            while True:
                try:
                    chunk = os.read(sys.stdin.fileno(), 4096)
                except (OSError, ValueError):
                    chunk = b""
                if not chunk:
                    if pending:
                        put(pending.decode("utf-8", errors="replace"))
                    put(None)  # end of input (Ctrl+D)
                    return
                pending += chunk
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    put(line.decode("utf-8", errors="replace").rstrip("\r"))

        threading.Thread(target=read, name="demo-keyboard", daemon=True).start()

    async def line(self) -> str | None:
        print("\n👤 ", end="", flush=True)
        return await self._queue.get()


async def _converse(terminal: Terminal, language: str | None, script: str | None) -> None:
    await terminal.send("/start")
    if language is not None:
        await terminal.send("#1" if language == "ky" else "#2")
    lines = _lines(script)
    keyboard = Keyboard() if lines is None else None
    while True:
        if lines is not None:
            if not lines:
                return
            line: str | None = lines.pop(0)
            print(f"\n👤 {line}")
        elif keyboard is not None:
            line = await keyboard.line()
        if line is None or line.strip() in {"/quit", "/exit"}:
            return
        if line.strip():
            await terminal.send(line.strip())


async def run_demo(
    language: str | None = None, script: str | None = None, database: str | None = None
) -> int:
    from bot.app import close, create_app, dispatcher_of, prepare
    from bot.cli import configure_logging
    from bot.config import load_settings

    with tempfile.TemporaryDirectory(prefix="migrant-bot-demo-") as state_name:
        state = Path(state_name)
        async with FakeTelegram(token=DEMO_TOKEN) as tg:
            settings = load_settings(
                None,
                bot_token=DEMO_TOKEN,
                telegram_api_url=tg.url,
                state_dir=state,
                # Never the DATABASE_URL of the environment: a demo must not write into real data.
                database_url=database or f"sqlite+aiosqlite:///{state / 'demo.sqlite3'}",
                admin_ids=str(DEMO_USER),
                staff_ids=str(DEMO_USER),
                operator_ids=str(DEMO_USER),
                operators_chat_id=DEMO_OPERATORS_CHAT,
                log_level="WARNING",
            )
            configure_logging(settings.log_level)
            app = create_app(settings)
            dp = dispatcher_of(app)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signal.SIGINT, stop.set)  # Ctrl+C: leave at once, cleanly
            try:
                await prepare(app)
                await _sample_events(app)
                polling = asyncio.create_task(
                    dp.start_polling(
                        app.bot, handle_signals=False, close_bot_session=False, polling_timeout=5
                    )
                )
                kept = f"database {database}" if database else "a throw-away database"
                print(f"Demo bot ({kept}). Type a message, #N to press button N, or /quit.")
                conversation = asyncio.create_task(_converse(Terminal(tg), language, script))
                stopping = asyncio.create_task(stop.wait())
                await asyncio.wait({conversation, stopping}, return_when=asyncio.FIRST_COMPLETED)
                for task in (conversation, stopping):
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                with contextlib.suppress(RuntimeError):  # polling had not begun
                    await dp.stop_polling()
                polling.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await polling
            finally:
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.remove_signal_handler(signal.SIGINT)
                await close(app)
    print("\nbye")
    return 0


def main(language: str | None = None, script: str | None = None, database: str | None = None) -> int:
    try:
        return asyncio.run(run_demo(language=language, script=script, database=database))
    except KeyboardInterrupt:  # Ctrl+C before the loop's own handler was in place
        print("\nbye")
        return 0
