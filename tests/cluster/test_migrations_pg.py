"""Instances starting together on an empty PostgreSQL database: the schema is migrated once, under an
advisory lock, and every instance finds it at head."""

from __future__ import annotations

import asyncio

from bot.storage import migrate
from bot.storage.database import Database
from tests.cluster.conftest import needs_servers
from tests.support import servers

pytestmark = needs_servers


async def test_three_instances_migrate_an_empty_database_together() -> None:
    with servers.throwaway_database(migrated=False) as url:
        dbs = [Database.connect(url) for _ in range(3)]
        try:
            await asyncio.gather(*(migrate.upgrade(db) for db in dbs))
            for db in dbs:
                assert await migrate.current_revision(db) == migrate.head_revision()
        finally:
            for db in dbs:
                await db.close()
