"""per-unit aggregates kept per round, materialised when a round closes

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 04:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import server.db_types  # noqa: F401  (UTCDateTime columns)

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
