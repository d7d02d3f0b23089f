"""suggestion boxes and their messages

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 00:40:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import server.db_types  # noqa: F401  (UTCDateTime columns)

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
