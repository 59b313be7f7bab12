"""/healthz and /metrics on the bot's aiohttp app: figures come from what really happened."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot import observability
from bot.context import AppContext
from bot.outbox.repo import Outgoing
from tests.conftest import Feed
from tests.support.updates import message


@pytest.fixture
async def client(app: AppContext) -> AsyncIterator[TestClient]:
    web_app = web.Application()
    observability.add_routes(web_app, app)
    async with TestClient(TestServer(web_app)) as test_client:
        yield test_client


async def test_healthz_reports_database_and_api_age(app: AppContext, client: TestClient, feed: Feed) -> None:
    response = await client.get("/healthz")
    body = await response.json()
    assert response.status == 200 and body["database"] == "ok" and body["status"] == "ok"
    assert body["seconds_since_api_success"] is None  # no Bot API call yet
    assert ("redis" in body) == app.settings.shared
    await feed(message(1001, "/start"))
    body = await (await client.get("/healthz")).json()
    assert 0 <= body["seconds_since_api_success"] < 60


async def test_healthz_fails_when_the_database_is_gone(
    app: AppContext, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Unreachable:
        async def __aenter__(self) -> None:
            raise OSError("connection refused")

        async def __aexit__(self, *exc: object) -> None:
            return None

    monkeypatch.setattr(app.db, "connection", Unreachable)
    response = await client.get("/healthz")
    body = await response.json()
    assert response.status == 503 and body["database"] == "error: OSError" and body["status"] == "unhealthy"


async def test_metrics_count_updates_sends_and_the_queue(
    app: AppContext, client: TestClient, feed: Feed
) -> None:
    await feed(message(1001, "/start"))
    await app.outbox.enqueue(
        [Outgoing(chat_id=5, payload={"text": "x"}, kind="notice", priority=n) for n in (10, 10, 100)]
    )
    text = await (await client.get("/metrics")).text()
    assert 'bot_updates_total{type="message"} 1.0' in text
    assert 'bot_update_handling_seconds_count{type="message"} 1.0' in text
    assert 'bot_api_calls_total{method="SendMessage",outcome="ok"}' in text
    assert 'bot_outbox_depth{priority="10"} 2.0' in text and 'bot_outbox_depth{priority="100"} 1.0' in text
    assert "bot_cases_open 0.0" in text and "bot_cases_urgent_untaken 0.0" in text
    assert "bot_reminders_due 0.0" in text
