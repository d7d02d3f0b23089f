"""report document settings of a round (issuing body, number, place, signer, recipients)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 00:40:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import server.db_types  # noqa: F401  (UTCDateTime columns)

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
