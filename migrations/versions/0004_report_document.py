"""report document settings of a round (issuing body, number, place, signer, recipients)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 00:40:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import server.db_types  # noqa: F401  (UTCDateTime columns)

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_TEXT_COLUMNS = (('document_issuer', 200), ('document_superior', 200),
                 ('document_number', 40), ('document_place', 100),
                 ('document_signer_title', 200), ('document_signer_name', 100))


def upgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        for name, length in _TEXT_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))
        batch_op.add_column(sa.Column(
            'document_recipients',
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'),
            nullable=True))


def downgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('document_recipients')
        for name, _ in reversed(_TEXT_COLUMNS):
            batch_op.drop_column(name)
