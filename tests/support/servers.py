"""Throw-away PostgreSQL databases and Redis key prefixes for tests on the real servers."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
RUN = uuid.uuid4().hex[:8]
_prefixes = iter(range(1, 10**9))


def _sync(coro: Any) -> Any:
    """Run a coroutine to completion from sync code, even while a test's event loop is running."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _at(url: str, database: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + database


def async_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+asyncpg://", 1)


async def _admin(statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(POSTGRES_URL)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def create_database() -> str:
    """A new empty database with a random name; returns its postgresql+asyncpg:// URL."""
    name = f"test_{RUN}_{uuid.uuid4().hex[:8]}"
    _sync(_admin(f'CREATE DATABASE "{name}"'))
    return async_url(_at(POSTGRES_URL, name))


def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    _sync(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextlib.contextmanager
def throwaway_database(migrated: bool = True) -> Iterator[str]:
    url = create_database()
    try:
        if migrated:
            _sync(_migrate(url))
        yield url
    finally:
        drop_database(url)


async def _migrate(url: str) -> None:
    from bot.storage import migrate
    from bot.storage.database import Database

    db = Database.connect(url)
    try:
        await migrate.upgrade(db)
    finally:
        await db.close()


async def _truncate(url: str) -> None:
    import asyncpg

    from bot.storage.schema import metadata

    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await conn.close()


def empty_database(url: str) -> None:
    _sync(_truncate(url))


def new_prefix() -> str:
    return f"test-{RUN}-{next(_prefixes)}"


async def _forget(pattern: str) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=pattern, count=1000)]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


def forget_run_keys() -> None:
    """Delete every Redis key this test run created."""
    _sync(_forget(f"test-{RUN}-*"))
