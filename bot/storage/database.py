"""Async database access: SQLite (WAL, foreign keys) by default, PostgreSQL with the same code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.config import ConfigError


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Database:
    """Owns the engine; repositories borrow connections from it."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    @classmethod
    def connect(cls, url: str) -> Database:
        """Raises ConfigError (one clear line, no password) for a URL this installation cannot use."""
        try:
            parsed = make_url(url)
        except (ArgumentError, ValueError):
            raise ConfigError(["DATABASE_URL: is not a valid database URL"]) from None
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                folder = Path(parsed.database).parent
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    reason = exc.strerror or type(exc).__name__
                    raise ConfigError(
                        [f"DATABASE_URL: cannot create the folder {folder} ({reason})"]
                    ) from None
            engine = create_async_engine(url, connect_args={"timeout": 30})
            event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            try:
                engine = create_async_engine(url, pool_pre_ping=True)
            except ModuleNotFoundError as exc:
                raise ConfigError(
                    [
                        f"DATABASE_URL: PostgreSQL needs the {exc.name} driver, which is not installed: "
                        "pip install 'migrant-rights-bot[postgres]' (or pip install -e '.[postgres]')"
                    ]
                ) from None
            except (ArgumentError, ValueError, TypeError):
                raise ConfigError(["DATABASE_URL: is not a valid database URL"]) from None
        return cls(engine)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def begin(self) -> Any:
        """`async with db.begin() as conn:` one transaction, committed on success."""
        return self.engine.begin()

    def connection(self) -> Any:
        return self.engine.connect()

    async def close(self) -> None:
        await self.engine.dispose()


__all__ = ["AsyncConnection", "Database"]
