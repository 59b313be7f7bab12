"""Tables of the complaints feature (attached to the shared MetaData; migration: see bot/storage/migrations)."""

from bot.storage.metadata import metadata

__all__ = ["metadata"]
