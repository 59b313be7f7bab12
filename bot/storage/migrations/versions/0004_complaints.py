"""Tables of the complaints feature.

Revision ID: 0004_complaints
Revises: 0003_broadcasts
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

from bot.storage.types import UTCDateTime  # noqa: F401

revision = "0004_complaints"
down_revision = "0003_broadcasts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
