"""Broadcast delivery against the fake Bot API: rate, duplicates, losses, memory, and a crash.

    python benchmarks/broadcast.py                    # 10,000 recipients, rate 25/s, then with SIGKILL
    python benchmarks/broadcast.py --recipients 2000 --no-crash

The sender runs as a separate process (the real Sender, outbox and rate limiter over a SQLite file)
against FakeTelegram with Telegram's limits enforced (429 past 30 msg/s or bursts into one chat).
2 % of the recipients have blocked the bot (403) and three 429s with retry_after=1 are injected while
it runs. Figures: achieved rate vs the configured one (wall clock, and excluding 429 pauses), the most
messages in any one-second window, duplicates, losses, and the sender process's peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import os
import resource
import signal
import sys
import tempfile
import time
from collections import Counter, deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "1:benchmark"


async def worker(db_url: str, api: str, rate: float) -> None:
    """The bot's sending half: claims and sends until nothing is left, then prints its peak memory."""
    from aiogram import Bot
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer

    from bot.clock import SystemClock
    from bot.outbox.limiter import RateLimiter
    from bot.outbox.repo import OutboxRepo
    from bot.outbox.sender import Sender
    from bot.runners import freeze_startup_objects
    from bot.storage.database import Database

    db = Database.connect(db_url)
    clock = SystemClock()
    repo = OutboxRepo(db, clock)
    session = AiohttpSession()
    session.api = TelegramAPIServer.from_base(api)
    bot = Bot(TOKEN, session=session)
    sender = Sender(bot, repo, RateLimiter(rate), clock, concurrency=4)
    freeze_startup_objects()  # as the bot's runners do
    sender.start()
    while True:
        counts = await repo.counts()
        if counts.get("pending", 0) + counts.get("sending", 0) == 0:
            break
        await asyncio.sleep(0.5)
    await sender.stop()
    await session.close()
    await db.close()
    print(json.dumps({"maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), flush=True)


async def enqueue(db_url: str, recipients: int) -> None:
    from bot.clock import SystemClock
    from bot.outbox.repo import OutboxRepo, Outgoing
    from bot.storage import migrate
    from bot.storage.database import Database

    db = Database.connect(db_url)
    await migrate.upgrade(db)
    repo = OutboxRepo(db, SystemClock())
    for start in range(1, recipients + 1, 1000):
        chunk = range(start, min(start + 1000, recipients + 1))
        await repo.enqueue(
            Outgoing(chat_id=c, payload={"text": f"Notice for {c}"}, kind="broadcast", dedupe_key=f"bc:1:{c}")
            for c in chunk
        )
    await db.close()


def windows_max(times: list[float]) -> int:
    best, window = 0, deque[float]()
    for at in sorted(times):
        window.append(at)
        while at - window[0] >= 1.0:
            window.popleft()
        best = max(best, len(window))
    return best


async def run(recipients: int, rate: float, crash: bool) -> dict[str, object]:
    from bot.simulator.server import FakeTelegram

    state = Path(tempfile.mkdtemp(prefix="broadcast-bench-"))
    db_url = f"sqlite+aiosqlite:///{state / 'bench.sqlite3'}"
    await enqueue(db_url, recipients)
    blocked = set(range(1, recipients + 1, 50))  # 2 %
    async with FakeTelegram(token=TOKEN, enforce_limits=True) as tg:
        for chat in blocked:
            tg.block(chat)
        # The fake server stamps arrivals in Python; a garbage collection here (over its growing record
        # of calls) would hold requests back and stamp them together, a pause Telegram does not have.
        gc.collect()
        gc.freeze()
        gc.disable()
        args = [sys.executable, __file__, "--worker", "--db", db_url, "--api", tg.url, "--rate", str(rate)]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        start = time.monotonic()
        process = await asyncio.create_subprocess_exec(*args, env=env, stdout=asyncio.subprocess.PIPE)
        injected = 0
        killed = False
        while process.returncode is None:
            sent_now = sum(1 for c in tg.calls if c.ok and c.method == "sendmessage")
            if injected < 3 and sent_now >= (injected + 1) * recipients // 4:
                tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
                injected += 1
            if crash and not killed and sent_now >= recipients // 2:
                process.send_signal(signal.SIGKILL)  # no shutdown at all: rows stay "sending"
                await process.wait()
                killed = True
                process = await asyncio.create_subprocess_exec(*args, env=env, stdout=asyncio.subprocess.PIPE)
            try:
                await asyncio.wait_for(process.wait(), 0.2)
            except TimeoutError:
                pass
        elapsed = time.monotonic() - start
        gc.enable()
        output = (await process.stdout.read()).decode() if process.stdout else ""
        maxrss = json.loads(output.strip().splitlines()[-1])["maxrss_kb"] if output.strip() else None
        ok = [c for c in tg.calls if c.ok and c.method == "sendmessage"]
        per_chat = Counter(int(c.params["chat_id"]) for c in ok)
        expected = set(range(1, recipients + 1)) - blocked
        rate_limited = [c for c in tg.calls if not c.ok and c.error and c.error.startswith("Too Many")]
        paused = 1.0 * len(rate_limited)
        requests = sorted(at for method, at in tg.arrivals if method == "sendmessage")
        # The rate the limiter is responsible for: requests per second from the first to the last,
        # less the 429 pauses (and, with a crash, the restart gap between the two processes).
        restart_gap = max((b - a for a, b in itertools.pairwise(requests)), default=0.0) if crash else 0.0
        span = requests[-1] - requests[0] - paused - restart_gap if len(requests) > 1 else 0.0
    return {
        "recipients": recipients,
        "configured_rate": rate,
        "crash": crash,
        "elapsed_s": round(elapsed, 1),
        "sent": len(ok),
        "requests": len(requests),
        "achieved_rate": round((len(requests) - 1) / span, 2) if span > 0 else None,
        "achieved_vs_configured_pct": round(100 * (len(requests) - 1) / span / rate - 100, 1)
        if span > 0
        else None,
        "wall_clock_rate_incl_startup": round(len(ok) / elapsed, 2),
        # Telegram counts requests as they arrive: every sendMessage, delivered or refused.
        "max_requests_in_any_1s_window": windows_max(requests),
        "max_deliveries_in_any_1s_window": windows_max([c.at for c in ok]),
        "429_received": len(rate_limited),
        "blocked_403": len(blocked),
        "duplicates": sum(n - 1 for n in per_chat.values() if n > 1),
        "losses": len(expected - set(per_chat)),
        "sender_peak_rss_mb": round(maxrss / 1024, 1) if maxrss else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=25.0)
    parser.add_argument("--no-crash", action="store_true", help="skip the SIGKILL run")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        asyncio.run(worker(args.db, args.api, args.rate))
        return 0
    for crash in (False,) if args.no_crash else (False, True):
        print(json.dumps(asyncio.run(run(args.recipients, args.rate, crash))), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
