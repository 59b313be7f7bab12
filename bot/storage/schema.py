"""Import every feature's tables so the shared MetaData is complete (for migrations and tests)."""

from bot.broadcasts import tables as _broadcasts  # noqa: F401
from bot.complaints import tables as _complaints  # noqa: F401
from bot.events import tables as _events  # noqa: F401
from bot.knowledge import gaps as _knowledge  # noqa: F401
from bot.storage import tables as _core  # noqa: F401
from bot.storage.metadata import metadata

__all__ = ["metadata"]
