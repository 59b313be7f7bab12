"""The webhook server answers 400 (one log line, no content) to any body that is not an update."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bot.config import Settings, load_settings
from bot.context import AppContext
from bot.runners import SECRET_HEADER, build_web_app
from tests.conftest import ADMIN, OPERATOR, OPERATORS_CHAT, STAFF

SECRET = "unit-webhook-secret_42"
PATH = "/telegram"
MARKER = "MARKER-xyzzy"  # content of the bodies: must never reach the log

MALFORMED = {
    "truncated JSON": b'{"update_id": 5, "message": {"text": "' + MARKER.encode(),
    "empty body": b"",
    "null": b"null",
    "array": b'[1, 2, "' + MARKER.encode() + b'"]',
    "update_id as text": json.dumps({"update_id": MARKER}).encode(),
    "update_id as a boolean": b'{"update_id": true}',
    "invalid UTF-8": b'{"update_id": 1, "x": "\xff\xfe' + MARKER.encode() + b'"}',
    "deep nesting": b'{"update_id": 1, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "wrong shape": json.dumps({"update_id": 7, "message": {"text": MARKER}}).encode(),
    "a string": json.dumps(MARKER).encode(),
    "huge number": b'{"update_id": ' + b"9" * 5000 + b"}",
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        None,
        bot_token="123456:TEST-token_for-tests",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        state_dir=tmp_path,
        admin_ids=str(ADMIN),
        staff_ids=str(STAFF),
        operator_ids=str(OPERATOR),
        operators_chat_id=OPERATORS_CHAT,
        webhook_url="https://bot.example.org",
        webhook_secret=SECRET,
        webhook_path=PATH,
    )


@pytest.fixture
async def client(app: AppContext) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(build_web_app(app))) as test_client:
        yield test_client


async def post(client: TestClient, body: bytes, secret: str = SECRET) -> int:
    headers = {SECRET_HEADER: secret, "Content-Type": "application/json"}
    async with client.post(PATH, data=body, headers=headers) as response:
        return response.status


@pytest.mark.parametrize("case", list(MALFORMED))
async def test_malformed_body_is_400_with_one_line(
    client: TestClient, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    with caplog.at_level(logging.DEBUG):
        assert await post(client, MALFORMED[case]) == 400
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1, [r.getMessage() for r in caplog.records]
    assert "malformed update" in lines[0].getMessage()
    assert not any(r.exc_info for r in caplog.records)
    assert MARKER not in caplog.text


async def test_good_update_and_wrong_secret(client: TestClient) -> None:
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 9, "type": "private"},
            "from": {"id": 9, "is_bot": False, "first_name": "X"},
            "text": "/start",
        },
    }
    assert await post(client, json.dumps(update).encode(), secret="wrong") == 401
    assert await post(client, json.dumps(update).encode()) == 200


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
update_like = st.fixed_dictionaries(
    {"update_id": json_values},
    optional={"message": json_values, "callback_query": json_values, "edited_message": json_values},
)
bodies = (
    st.binary(max_size=200)
    | json_values.map(lambda v: json.dumps(v).encode())
    | update_like.map(lambda v: json.dumps(v).encode())
)


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies)
async def test_random_bodies_never_cause_a_server_error(client: TestClient, body: bytes) -> None:
    assert await post(client, body) in {200, 400}
