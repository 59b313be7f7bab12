"""Migrations build the schema from an empty database, match the table definitions, and go back down."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.schema import metadata


async def _diff(db: Database) -> list[Any]:
    def run(connection: Any) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))

    async with db.connection() as conn:
        return await conn.run_sync(run)


async def test_upgrade_from_empty_matches_metadata(tmp_path: Path) -> None:
    db = Database.connect(f"sqlite+aiosqlite:///{tmp_path / 'm.sqlite3'}")
    try:
        await migrate.upgrade(db)
        assert await migrate.current_revision(db) == migrate.head_revision()
        assert await _diff(db) == []
    finally:
        await db.close()


async def test_downgrade_to_base_and_up_again(tmp_path: Path) -> None:
    db = Database.connect(f"sqlite+aiosqlite:///{tmp_path / 'm.sqlite3'}")
    try:
        await migrate.upgrade(db)
        await migrate.downgrade(db, "base")
        assert await migrate.current_revision(db) is None
        await migrate.upgrade(db)
        assert await _diff(db) == []
    finally:
        await db.close()


async def test_upgrade_is_idempotent(tmp_path: Path) -> None:
    db = Database.connect(f"sqlite+aiosqlite:///{tmp_path / 'm.sqlite3'}")
    try:
        await migrate.upgrade(db)
        await migrate.upgrade(db)
        assert await migrate.current_revision(db) == migrate.head_revision()
    finally:
        await db.close()


async def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    db = Database.connect(f"sqlite+aiosqlite:///{tmp_path / 'm.sqlite3'}")
    try:
        async with db.connection() as conn:
            mode = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
            fks = (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar()
        assert mode == "wal" and fks == 1
    finally:
        await db.close()
