"""INSERT ... ON CONFLICT DO UPDATE for SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Table, bindparam
from sqlalchemy.dialects import postgresql, sqlite

from bot.storage.database import Database
from bot.storage.tables import processed_updates


def upsert(
    db: Database,
    table: Table,
    values: Mapping[str, Any],
    keys: Iterable[str],
    update: Iterable[str] | None = None,
) -> Any:
    insert = sqlite.insert if db.is_sqlite else postgresql.insert
    statement = insert(table).values(**values)
    keys = list(keys)
    columns = [name for name in (update if update is not None else values) if name not in keys]
    if not columns:
        return statement.on_conflict_do_nothing(index_elements=keys)
    return statement.on_conflict_do_update(
        index_elements=keys, set_={name: statement.excluded[name] for name in columns}
    )


def insert_ignore(db: Database, table: Table, values: Mapping[str, Any], keys: Iterable[str]) -> Any:
    insert = sqlite.insert if db.is_sqlite else postgresql.insert
    return insert(table).values(**values).on_conflict_do_nothing(index_elements=list(keys))


def claim_update(db: Database) -> Any:
    """Record an update id as handled; a row comes back (or rowcount 1) only the first time.

    The dedupe of redelivered updates: built once by its users (it runs on every update), the values
    bound per execution (`update_id`, `received_at`).
    """
    names = ("update_id", "received_at")
    values = {name: bindparam(name, type_=processed_updates.c[name].type) for name in names}
    return insert_ignore(db, processed_updates, values, ["update_id"])
