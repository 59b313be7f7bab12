"""Tables of the broadcasts feature.

Attached to the shared MetaData; migrations live in bot/storage/migrations.
"""

from bot.storage.metadata import metadata

__all__ = ["metadata"]
