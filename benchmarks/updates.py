"""Incoming updates per second through the real bot vs a bare aiogram echo bot, same fake Bot API,
same run; and a profile of the update path (database statements per update).

    python benchmarks/updates.py                      # 3 rounds of 1,000 updates per mode
    python benchmarks/updates.py --updates 600 --rounds 5 --no-cluster

Every bot runs in webhook mode as its own process (`python -m bot run --webhook`; the echo bot is
this file with --echo). The driver POSTs `/help` from distinct people (no flood control kicks in),
CONCURRENCY requests in flight, and each answer comes back only after the update was handled, so
updates/s is handled updates per second. Modes: bare aiogram echo; one instance on SQLite; one and two
instances on PostgreSQL + Redis (shared mode; the two are hit alternately, as a load balancer would).
All modes run at once, idle but for the one being measured, and are measured in turn, round after
round; each mode's median is printed (the machine is noisy: this spreads bursts of other work).
The profile feeds updates in-process through the Dispatcher (CONCURRENCY in flight) and counts SQL
statements by kind.

Last measured (2 shared, busy cores; medians of 3 rounds of 1,000; ratio to echo in the same round):
echo 469/s; SQLite 308/s (0.70x; 0.29x before group commit); PostgreSQL + Redis one instance 283/s
(0.59x; 0.22x before), two instances 213/s (0.49x; 0.29x before). 0.26 SQL statements per update.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "424242:bench-token"
_ids = iter(range(1, 1000))  # each mode its own update ids (shared dedupe in Redis)
SECRET = "bench-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def update(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    chat = {"id": user_id, "type": "private", "first_name": "Айбек"}
    sender = {"id": user_id, "is_bot": False, "first_name": "Айбек", "language_code": "ru"}
    message = {"message_id": update_id, "date": 1_790_000_000, "chat": chat, "from": sender, "text": text}
    message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    return {"update_id": update_id, "message": message}


def echo_main(api: str, port: int) -> None:
    """A bare aiogram 3 echo bot: one handler, memory storage, webhook, nothing else."""
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import Message
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler
    from aiohttp import web

    session = AiohttpSession()
    session.api = TelegramAPIServer.from_base(api)
    bot = Bot(TOKEN, session=session)
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    app = web.Application()
    SimpleRequestHandler(dispatcher=dp, bot=bot, secret_token=SECRET, handle_in_background=False).register(
        app, path="/telegram"
    )
    app.router.add_get("/healthz", lambda _r: web.Response(text="ok"))
    web.run_app(app, host="127.0.0.1", port=port, print=None)


async def start(args: list[str], env: dict[str, str], url: str, log: Path) -> asyncio.subprocess.Process:
    import aiohttp

    with log.open("ab") as out:
        process = await asyncio.create_subprocess_exec(
            *args, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=out
        )
    for _ in range(1200):
        if process.returncode is not None:
            raise SystemExit(f"process exited; see {log}")
        try:
            async with aiohttp.ClientSession() as client, client.get(url + "/healthz") as answer:
                if answer.status == 200:
                    return process
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.1)
    raise SystemExit(f"process did not start; see {log}")


async def drive(urls: list[str], count: int, concurrency: int, first_id: int) -> float:
    """POST `count` /help updates round robin over `urls`; returns handled updates per second."""
    import aiohttp

    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    queue = iter(range(count))
    failures = Counter()

    async def worker(client: aiohttp.ClientSession) -> None:
        for n in queue:
            body = json.dumps(update(first_id + n, 100_000 + first_id + n, "/help"))
            async with client.post(urls[n % len(urls)] + "/telegram", data=body, headers=headers) as answer:
                if answer.status != 200:
                    failures[answer.status] += 1

    async with aiohttp.ClientSession() as client:
        # Warm-up: the first updates pay for imports and connection pools.
        await asyncio.gather(*(worker_once(client, u, headers, first_id - 1 - i) for i, u in enumerate(urls)))
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    if failures:
        print(f"    non-200 answers: {dict(failures)}")
    return count / elapsed


async def worker_once(client: Any, url: str, headers: dict[str, str], update_id: int) -> None:
    body = json.dumps(update(update_id, 900_000 + update_id, "/help"))
    async with client.post(url + "/telegram", data=body, headers=headers) as answer:
        await answer.read()


def bot_env(api: str, port: int, state: Path, extra: dict[str, str]) -> dict[str, str]:
    return {
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api,
        "STATE_DIR": str(state),
        "WEBHOOK_URL": f"http://127.0.0.1:{port}",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_HOST": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "LOG_LEVEL": "WARNING",
        "FLOOD_LIMIT": "1000",
        **extra,
    }


async def launch(
    api: str, work: Path, label: str, bots: list[dict[str, str]], echo: bool = False
) -> tuple[list[asyncio.subprocess.Process], list[str]]:
    """Start one mode's processes; returns them and their URLs."""
    processes: list[asyncio.subprocess.Process] = []
    urls = []
    for index, extra in enumerate(bots):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        state = work / f"{label}-{index}"
        state.mkdir(parents=True, exist_ok=True)
        if echo:
            args = [sys.executable, __file__, "--echo", "--api", api, "--port", str(port)]
            env: dict[str, str] = {}
        else:
            args = [sys.executable, "-m", "bot", "run", "--webhook"]
            env = bot_env(api, port, state, extra)
        processes.append(await start(args, env, url, state / "log.txt"))
        urls.append(url)
    return processes, urls


async def stop(processes: list[asyncio.subprocess.Process]) -> None:
    for process in processes:
        if process.returncode is None:
            process.terminate()
            await process.wait()


async def measure(
    modes: dict[str, list[str]], labels: dict[str, str], count: int, concurrency: int, rounds: int
) -> dict[str, list[float]]:
    """Rounds of `count` updates per mode, the modes interleaved within each round (the machine is
    noisy: a burst of other work then hits every mode alike). Returns each mode's rate per round."""
    rates: dict[str, list[float]] = {key: [] for key in modes}
    for number in range(rounds):
        line = []
        for key, urls in modes.items():
            rates[key].append(await drive(urls, count, concurrency, first_id=next(_ids) * 1_000_000))
            line.append(f"{key} {rates[key][-1]:.0f}")
        print(f"  round {number + 1}: " + ", ".join(line) + " updates/s")
    for key, values in rates.items():
        print(f"  {labels[key]:<38} {statistics.median(values):7.1f} updates/s (median of {rounds})")
    return rates


async def profile(count: int, concurrency: int) -> None:
    """In-process: SQL statements per update on the /help path, by statement kind and table (a statement
    of a shared transaction counts once, however many updates' rows it carries)."""
    import logging
    import re

    from aiogram.types import Update
    from sqlalchemy import event

    from bot.app import close, create_app
    from bot.clock import SystemClock
    from bot.config import load_settings
    from bot.storage import migrate
    from tests.support.session import FakeSession

    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            None,
            bot_token=TOKEN,
            database_url=f"sqlite+aiosqlite:///{tmp}/p.sqlite3",
            state_dir=tmp,
            flood_limit=1000,
        )
        app = create_app(settings, session=FakeSession(), clock=SystemClock())
        await migrate.upgrade(app.db)
        statements: Counter[str] = Counter()

        def count_statement(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
            words = sql.split()
            verb = words[0].upper() if words else "?"
            table = re.search(r"(?:FROM|INTO|UPDATE)\s+\"?(\w+)", sql, re.IGNORECASE)
            statements[f"{verb} {table.group(1) if table else ''}".strip()] += 1

        event.listen(app.db.engine.sync_engine, "before_cursor_execute", count_statement)
        assert app.dispatcher is not None
        dispatcher = app.dispatcher
        pending = iter(range(count))

        async def feeder() -> None:
            for n in pending:
                await dispatcher.feed_update(app.bot, Update.model_validate(update(n + 1, 500 + n, "/help")))

        # As many in flight as the HTTP modes: concurrent updates share their transaction.
        await asyncio.gather(*(feeder() for _ in range(concurrency)))
        event.remove(app.db.engine.sync_engine, "before_cursor_execute", count_statement)
        await close(app)
    total = sum(statements.values())
    print(f"  SQL statements per /help update, {concurrency} in flight: {total / count:.2f}")
    for kind, n in statements.most_common():
        print(f"    {n / count:5.2f}  {kind}")


async def fsm_storage(pg_url: str, redis_url: str, prefix: str, rounds: int = 300) -> None:
    """One form step's storage traffic (read state, read data, write data, write state), SQL storage on
    PostgreSQL vs aiogram's RedisStorage: decides whether shared mode should move FSM to Redis."""
    from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
    from aiogram.fsm.storage.redis import RedisStorage
    from redis.asyncio import Redis

    from bot.clock import SystemClock
    from bot.storage.database import Database
    from bot.storage.fsm import SqlStorage

    db = Database.connect(pg_url)
    redis = Redis.from_url(redis_url)
    storages = {
        "SqlStorage on PostgreSQL": SqlStorage(db, SystemClock()),
        "RedisStorage": RedisStorage(redis, key_builder=DefaultKeyBuilder(prefix=f"{prefix}:fsm")),
    }
    try:
        for name, storage in storages.items():
            started = time.perf_counter()
            for n in range(rounds):
                key = StorageKey(bot_id=1, chat_id=7000 + n, user_id=7000 + n)
                await storage.get_state(key)
                data = await storage.get_data(key)
                await storage.set_data(key, {**data, "city": "Екатеринбург", "step": n})
                await storage.set_state(key, "Intake:city")
            elapsed = time.perf_counter() - started
            print(f"  FSM form step, {name:<26} {elapsed / rounds * 1000:6.2f} ms")
    finally:
        await redis.aclose()
        await db.close()


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--updates", type=int, default=1000, help="per mode and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--no-cluster", action="store_true", help="skip the PostgreSQL + Redis modes")
    args = parser.parse_args()

    from bot.simulator.server import FakeTelegram

    print(f"{args.updates} updates of /help per mode and round, {args.concurrency} in flight:")
    labels = {
        "echo": "bare aiogram echo",
        "sqlite": "bot, 1 instance, SQLite",
        "pg1": "bot, 1 instance, PostgreSQL+Redis",
        "pg2": "bot, 2 instances, PostgreSQL+Redis",
    }
    processes: list[asyncio.subprocess.Process] = []
    modes: dict[str, list[str]] = {}
    url = None
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        async with FakeTelegram(token=TOKEN) as tg:
            try:
                started, modes["echo"] = await launch(tg.url, work, "echo", [{}], echo=True)
                processes += started
                started, modes["sqlite"] = await launch(tg.url, work, "sqlite", [{}])
                processes += started
                if not args.no_cluster:
                    from tests.support import servers

                    url = servers.create_database()
                    shared = {
                        "DATABASE_URL": url,
                        "REDIS_URL": servers.REDIS_URL,
                        "REDIS_PREFIX": servers.new_prefix(),
                    }
                    started, modes["pg1"] = await launch(tg.url, work, "pg1", [shared])
                    processes += started
                    # Its own key prefix: the same deployment would make pg1's process a third member.
                    shared2 = {**shared, "REDIS_PREFIX": servers.new_prefix()}
                    started, modes["pg2"] = await launch(tg.url, work, "pg2", [shared2, shared2])
                    processes += started
                results = await measure(modes, labels, args.updates, args.concurrency, args.rounds)
                if url is not None:
                    await stop(processes)
                    await fsm_storage(url, servers.REDIS_URL, servers.new_prefix())
            finally:
                await stop(processes)
                if url is not None:
                    from tests.support import servers

                    servers.drop_database(url)
                    servers.forget_run_keys()
    echo = results["echo"]
    for key, rates in results.items():
        if key != "echo":
            ratio = statistics.median(rate / base for rate, base in zip(rates, echo, strict=True))
            print(f"  ratio {key}: {ratio:.2f}x bare aiogram (median of the rounds' ratios)")
    await profile(min(args.updates, 300), args.concurrency)


if __name__ == "__main__":
    if "--echo" in sys.argv:
        echo_parser = argparse.ArgumentParser()
        echo_parser.add_argument("--echo", action="store_true")
        echo_parser.add_argument("--api")
        echo_parser.add_argument("--port", type=int)
        echo_args = echo_parser.parse_args()
        echo_main(echo_args.api, echo_args.port)
    else:
        asyncio.run(main())
