"""Shared mode end to end: two `python -m bot run --webhook` processes behind a round-robin proxy,
one PostgreSQL (a throw-away database), one Redis (a fresh key prefix), the fake Bot API."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.clock import SystemClock
from bot.outbox.repo import OutboxRepo, Outgoing
from bot.simulator.server import FakeTelegram
from bot.storage.database import Database
from tests.cluster.conftest import needs_servers
from tests.cluster.test_redis_state import max_in_window
from tests.conftest import ON_POSTGRES
from tests.e2e.harness import (
    ADMIN,
    KB_CACHE_DIR,
    OPERATOR,
    OPERATORS_CHAT,
    ROOT,
    STAFF,
    TOKEN,
    WEBHOOK_SECRET,
    free_port,
)
from tests.support import servers

# Minutes long (a 2,000-person send at 25/s): run once, in the PostgreSQL + Redis pass of .ci/run.
pytestmark = [
    pytest.mark.e2e,
    needs_servers,
    pytest.mark.skipif(not ON_POSTGRES, reason="shared mode: runs with TEST_DATABASE=postgres"),
]


class Proxy:
    """Round robin over the instances; an instance that does not answer is skipped (as nginx does)."""

    def __init__(self, targets: list[str]) -> None:
        self.targets = targets
        self._turn = itertools.count()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.hits: Counter[str] = Counter()  # requests answered, by instance

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        async with aiohttp.ClientSession() as client:
            for _ in self.targets:
                target = self.targets[next(self._turn) % len(self.targets)]
                try:
                    url = target + request.path
                    async with client.post(url, data=body, headers=request.headers) as answer:
                        self.hits[target] += 1
                        return web.Response(status=answer.status, body=await answer.read())
                except aiohttp.ClientConnectionError:
                    continue
        return web.Response(status=502)

    async def __aenter__(self) -> Proxy:
        app = web.Application()
        app.router.add_post("/{tail:.*}", self.handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._runner.cleanup()


class Instance:
    def __init__(self, name: str, tg: FakeTelegram, state: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = state / f"{name}.log"
        state.mkdir(parents=True, exist_ok=True)
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(ROOT),
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": tg.url,
            "STATE_DIR": str(state),
            "KB_CACHE_DIR": str(KB_CACHE_DIR),
            "ADMIN_IDS": str(ADMIN),
            "STAFF_IDS": str(STAFF),
            "OPERATOR_IDS": str(OPERATOR),
            "OPERATORS_CHAT_ID": str(OPERATORS_CHAT),
            "WEBHOOK_SECRET": WEBHOOK_SECRET,
            "WEBHOOK_HOST": "127.0.0.1",
            "WEBHOOK_PORT": str(self.port),
            "LOG_LEVEL": "INFO",
            **env,
        }
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                *[sys.executable, "-m", "bot", "run", "--webhook"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
            )
        for _ in range(900):
            if self.process.returncode is not None:
                raise AssertionError(f"instance exited; log:\n{self.log()}")
            try:
                async with aiohttp.ClientSession() as client, client.get(self.url + "/healthz") as answer:
                    if answer.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
        raise AssertionError(f"instance did not start; log:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    async def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(sig)
            await self.process.wait()


ClusterRun = tuple[FakeTelegram, list["Instance"], str, Proxy]


@pytest.fixture
async def cluster(tmp_path: Path) -> AsyncIterator[ClusterRun]:
    with servers.throwaway_database(migrated=False) as db_url:
        prefix = servers.new_prefix()
        async with FakeTelegram(token=TOKEN) as tg:
            instances: list[Instance] = []
            async with Proxy([]) as proxy:
                env = {
                    "DATABASE_URL": db_url,
                    "REDIS_URL": servers.REDIS_URL,
                    "REDIS_PREFIX": prefix,
                    "WEBHOOK_URL": proxy.url,
                }
                instances = [Instance(name, tg, tmp_path / name, env) for name in ("a", "b")]
                proxy.targets.extend(instance.url for instance in instances)
                try:
                    # Started together: the migration runs once, under the advisory lock.
                    await asyncio.gather(*(instance.start() for instance in instances))
                    yield tg, instances, db_url, proxy
                finally:
                    await asyncio.gather(*(instance.stop() for instance in instances))
        servers._sync(servers._forget(f"{prefix}*"))


def update(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    chat = {"id": user_id, "type": "private", "first_name": "Айбек"}
    sender = {"id": user_id, "is_bot": False, "first_name": "Айбек", "language_code": "ru"}
    message = {"message_id": update_id, "date": 1_790_000_000, "chat": chat, "from": sender, "text": text}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


async def post(url: str, body: dict[str, Any]) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET, "Content-Type": "application/json"}
    async with (
        aiohttp.ClientSession() as client,
        client.post(url + "/telegram", data=json.dumps(body), headers=headers) as answer,
    ):
        return answer.status


async def test_the_same_update_at_both_instances_is_handled_once(
    cluster: ClusterRun,
) -> None:
    tg, instances, _, _ = cluster
    user = 5001
    body = update(900_001, user, "/start")
    statuses = await asyncio.gather(*(post(instance.url, body) for instance in instances))
    assert statuses == [200, 200]
    await tg.wait_idle(quiet=0.5)
    replies = [c for c in tg.calls if c.method == "sendmessage" and int(c.params["chat_id"]) == user]
    assert len(replies) == 1


@pytest.mark.timeout(420)
async def test_a_broadcast_by_both_instances_reaches_everyone_once_within_the_rate(
    cluster: ClusterRun,
) -> None:
    tg, instances, db_url, _ = cluster
    people = range(10_000, 12_000)
    db = Database.connect(db_url)
    try:
        outbox = OutboxRepo(db, SystemClock(), owner="test")
        await outbox.enqueue(Outgoing(chat_id=p, payload={"text": "Маалымат"}, kind="notice") for p in people)

        def sends() -> list[Any]:
            return [c for c in tg.calls if c.method == "sendmessage" and int(c.params["chat_id"]) >= 10_000]

        await tg.wait_for(lambda: len(sends()) >= 300, timeout=60)
        # One instance dies mid-broadcast, without a chance to clean up.
        await instances[0].stop(signal.SIGKILL)
        killed_at = len(sends())
        everyone = set(people)
        await tg.wait_for(lambda: {int(c.params["chat_id"]) for c in sends()} >= everyone, timeout=240)
        await asyncio.sleep(1.0)
    finally:
        await db.close()
    delivered = Counter(int(c.params["chat_id"]) for c in sends())
    assert set(delivered) == set(people)  # nobody lost
    duplicates = sum(n - 1 for n in delivered.values())
    assert duplicates <= 4  # at most the killed instance's in-flight messages (SEND_CONCURRENCY)
    stamps = [at for method, at in tg.arrivals if method.startswith(("send", "copy", "forward"))]
    assert max_in_window(stamps) <= 25
    assert killed_at < len(people)


@pytest.mark.timeout(300)
async def test_a_complaint_form_moving_between_instances_makes_one_case(
    cluster: ClusterRun,
) -> None:
    """The proxy alternates instances, so consecutive steps of the form land on different ones."""
    from sqlalchemy import func, select

    from bot.complaints.tables import complaints
    from tests.e2e.test_complaints import click, say

    tg, _, db_url, proxy = cluster
    migrant = 6201
    before = Counter(proxy.hits)
    mark = tg.checkpoint()
    tg.user_sends(migrant, "/start")
    language = await tg.wait_message(migrant, button="Кыргызча", since=mark, timeout=20)
    await click(tg, migrant, language, "Кыргызча")
    step = await say(tg, migrant, "/complaint", "өлкөдө")
    step = await click(tg, migrant, step, "Орусия", "шаарда")
    step = await say(tg, migrant, "Екатеринбург", "Теманы тандаңыз")
    step = await click(tg, migrant, step, "Айлык", "Эмне болгонун жазыңыз")
    await say(tg, migrant, "Кожоюн эки айдан бери айлык бербей жатат", "Жазылды")
    step = tg.messages(migrant)[-1]
    step = await click(tg, migrant, step, "Даяр", "Бул качан болду")
    step = await click(tg, migrant, step, "Өткөрүп жиберүү", "кантип байланышабыз")
    step = await click(tg, migrant, step, "Ушул чатта", "Атыңыз ким")
    step = await click(tg, migrant, step, "Атсыз", "Макулдук")
    step = await click(tg, migrant, step, "Макулмун", "текшериңиз")
    done = await click(tg, migrant, step, "Жөнөтүү", "Номери")
    assert "00001" in done.text
    await tg.wait_message(OPERATORS_CHAT, "№ 00001", timeout=30)
    await tg.wait_idle(quiet=1.0, timeout=30)
    db = Database.connect(db_url)
    try:
        async with db.connection() as conn:
            assert (await conn.execute(select(func.count()).select_from(complaints))).scalar_one() == 1
    finally:
        await db.close()
    cards = [s for s in tg.outputs if s.chat_id == OPERATORS_CHAT and "№ 00001" in s.text]
    assert len({s.message_id for s in cards}) == 1
    steps = proxy.hits - before
    assert len(steps) == 2 and min(steps.values()) >= 5  # both instances handled steps of the form
