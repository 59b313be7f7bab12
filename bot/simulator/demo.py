"""`python -m bot demo`: chat with the real bot in a terminal, no Telegram token needed.

The real application (dispatcher, database, scheduler, sender) runs in long polling against
FakeTelegram on 127.0.0.1; this module plays the user. Type text to send it, a number to press that
button of the last message, `/quit` to leave. The demo user is admin, staff and operator at once, so
staff and operator screens can be tried too; messages to the operators' group are shown with a prefix.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bot.simulator.server import FakeTelegram, Sent

DEMO_TOKEN = "100000:demo-token-not-secret"
DEMO_USER = 700001
DEMO_OPERATORS_CHAT = -1009990001
QUIET = 0.4  # seconds without a bot call: the bot has finished answering


class Terminal:
    def __init__(self, tg: FakeTelegram, files_dir: Path) -> None:
        self.tg, self.files_dir = tg, files_dir
        self.shown = 0
        self.last_with_buttons: Sent | None = None

    def print_new(self) -> None:
        for sent in self.tg.outputs[self.shown :]:
            prefix = "[operators] " if sent.chat_id == DEMO_OPERATORS_CHAT else ""
            print(f"\n{prefix}🤖 {sent.text}" if sent.text else f"\n{prefix}🤖")
            if sent.document:
                name = sent.document.get("file_name") or sent.document["file_id"]
                path = self.files_dir / name
                path.write_bytes(self.tg.files[sent.document["file_id"]])
                print(f"   📎 {name} → {path}")
            for number, button in enumerate(sent.buttons, 1):
                target = f" ({button.url})" if button.url else ""
                print(f"   [{number}] {button.text}{target}")
            if sent.buttons:
                self.last_with_buttons = sent
        self.shown = len(self.tg.outputs)

    async def send(self, line: str) -> None:
        mark = self.tg.checkpoint()
        if line.isdigit() and self.last_with_buttons is not None:
            buttons = self.last_with_buttons.buttons
            index = int(line) - 1
            if not 0 <= index < len(buttons) or buttons[index].callback_data is None:
                print("   (no such button)")
                return
            self.tg.user_presses(DEMO_USER, self.last_with_buttons, buttons[index].callback_data or "")
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


async def run_demo(language: str | None = None, script: str | None = None) -> int:
    from bot.app import close, create_app, prepare
    from bot.cli import configure_logging
    from bot.config import load_settings

    state = Path(tempfile.mkdtemp(prefix="migrant-bot-demo-"))
    async with FakeTelegram(token=DEMO_TOKEN) as tg:
        settings = load_settings(
            None,
            bot_token=DEMO_TOKEN,
            telegram_api_url=tg.url,
            state_dir=state,
            admin_ids=str(DEMO_USER),
            staff_ids=str(DEMO_USER),
            operator_ids=str(DEMO_USER),
            operators_chat_id=DEMO_OPERATORS_CHAT,
            log_level="WARNING",
        )
        configure_logging(settings.log_level)
        app = create_app(settings)
        assert app.dispatcher is not None
        await prepare(app)
        await _sample_events(app)
        polling = asyncio.create_task(
            app.dispatcher.start_polling(
                app.bot, handle_signals=False, close_bot_session=False, polling_timeout=5
            )
        )
        terminal = Terminal(tg, state)
        print(f"Demo bot (state in {state}). Type a message, a button number, or /quit.")
        try:
            await terminal.send("/start")
            if language is not None:
                await terminal.send("1" if language == "ky" else "2")
            lines = _lines(script)
            while True:
                if lines is not None:
                    if not lines:
                        break
                    line = lines.pop(0)
                    print(f"\n👤 {line}")
                else:
                    try:
                        line = await asyncio.to_thread(input, "\n👤 ")
                    except EOFError:
                        break
                if line.strip() in {"/quit", "/exit"}:
                    break
                if line.strip():
                    await terminal.send(line.strip())
        finally:
            await app.dispatcher.stop_polling()
            with contextlib.suppress(asyncio.CancelledError):
                await polling
            await close(app)
    return 0
