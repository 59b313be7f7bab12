"""Fixtures on the real PostgreSQL and Redis (skipped when they are not running)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from tests.support import servers


def _up(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


needs_servers = pytest.mark.skipif(
    not (_up(5432) and _up(6379)), reason="PostgreSQL and Redis are not running (see .ci/run)"
)


@pytest.fixture
def pg_url() -> Iterator[str]:
    with servers.throwaway_database() as url:
        yield url


@pytest.fixture
async def redis() -> AsyncIterator[Any]:
    from redis.asyncio import Redis

    client = Redis.from_url(servers.REDIS_URL)
    yield client
    prefix = servers.new_prefix()  # not used: the test's own prefix is below
    del prefix
    await client.aclose()


@pytest.fixture
def prefix() -> Iterator[str]:
    value = servers.new_prefix()
    yield value
    servers._sync(servers._forget(f"{value}*"))
