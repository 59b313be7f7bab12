"""Starts the bot's real entry point (`python -m bot run`) as a separate process against FakeTelegram.

Usage in a test (see tests/e2e/test_foundation.py):

    async def test_x(tg: FakeTelegram, bot_process: StartBot) -> None:
        bot = await bot_process()                 # polling; bot_process(mode="webhook") for webhooks
        mark = tg.checkpoint()
        tg.user_sends(USER, "/start")
        answer = await tg.wait_message(USER, "Кыргызча", since=mark)
        tg.user_clicks(USER, answer, "Русский")
        ...
        assert await bot.stop() == 0
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import signal
import socket
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.simulator.server import FakeTelegram

TOKEN = "424242:e2e-test-token"
ADMIN, STAFF, OPERATOR = 1, 2, 3
OPERATORS_CHAT = -1001234567890
WEBHOOK_SECRET = "e2e-webhook-secret_0123456789"
ROOT = Path(__file__).resolve().parents[2]
# One knowledge-base build cache for every bot process of the test run: the first one trains the model
# (a cold start, as after an edit of the content), the others read it (as a restart does).
KB_CACHE_DIR = Path(tempfile.mkdtemp(prefix="e2e-kb-cache-"))
atexit.register(shutil.rmtree, KB_CACHE_DIR, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class BotProcess:
    def __init__(self, tg: FakeTelegram, state_dir: Path, mode: str, env: dict[str, str]) -> None:
        self.tg, self.state_dir, self.mode = tg, state_dir, mode
        self.log_path = state_dir / f"bot-{mode}.log"
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(ROOT),
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": tg.url,
            "STATE_DIR": str(state_dir),
            "KB_CACHE_DIR": str(KB_CACHE_DIR),
            "ADMIN_IDS": str(ADMIN),
            "STAFF_IDS": str(STAFF),
            "OPERATOR_IDS": str(OPERATOR),
            "OPERATORS_CHAT_ID": str(OPERATORS_CHAT),
            "LOG_LEVEL": "INFO",
            **env,
        }
        self.process: asyncio.subprocess.Process | None = None

    async def start(self, timeout: float = 30.0) -> BotProcess:
        args = [sys.executable, "-m", "bot", "run"]
        if self.mode == "webhook":
            port = free_port()
            args.append("--webhook")
            self.env.update(
                WEBHOOK_URL=f"http://127.0.0.1:{port}",
                WEBHOOK_SECRET=WEBHOOK_SECRET,
                WEBHOOK_HOST="127.0.0.1",
                WEBHOOK_PORT=str(port),
            )
        mark = len(self.tg.received)
        with self.log_path.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                *args, cwd=ROOT, env=self.env, stdout=log, stderr=log
            )
        calls = len(self.tg.calls)

        def ready() -> bool:
            # Webhook: Telegram knows the URL once setWebhook completed. Polling: a long poll is in flight.
            if self.mode == "webhook":
                return any(c.method == "setwebhook" and c.ok for c in self.tg.calls[calls:])
            return "getupdates" in self.tg.received[mark:]

        started = asyncio.ensure_future(self.tg.wait_for(ready, timeout))
        exited = asyncio.ensure_future(self.process.wait())
        await asyncio.wait({started, exited}, return_when=asyncio.FIRST_COMPLETED)
        if exited.done():
            started.cancel()
            raise AssertionError(f"bot exited with {self.process.returncode}; log:\n{self.log()}")
        exited.cancel()
        if started.exception() is not None:
            raise AssertionError(f"bot did not start; log:\n{self.log()}")
        return self

    async def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM, as Docker and systemd do; returns the exit code."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), timeout)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
                raise AssertionError(f"bot did not stop on SIGTERM; log:\n{self.log()}") from None
        return int(self.process.returncode or 0)

    def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


StartBot = Callable[..., Awaitable[BotProcess]]
