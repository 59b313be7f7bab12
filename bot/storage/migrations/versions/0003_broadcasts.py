"""Tables of the broadcasts feature.

Revision ID: 0003_broadcasts
Revises: 0002_events
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

from bot.storage.types import UTCDateTime  # noqa: F401

revision = "0003_broadcasts"
down_revision = "0002_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
