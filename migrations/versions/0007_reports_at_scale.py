"""indexes and stored figures for reports at national scale

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 00:40:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy import Text  # noqa: F401  (JSONB columns)
from sqlalchemy.dialects import postgresql

import server.db_types  # noqa: F401  (UTCDateTime columns)

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cached_summaries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('headline', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('summary', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', server.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_cached_summaries_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_cached_summaries_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cached_summaries')),
    sa.UniqueConstraint('round_id', 'unit_id', name='uq_cached_summaries_round_unit')
    )
    with op.batch_alter_table('cached_summaries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cached_summaries_round_id'), ['round_id'], unique=False)

    # A country root above the provinces needs no schema change (the kind is a string).
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index('ix_units_path_pattern', ['path'], unique=False,
                              postgresql_ops={'path': 'varchar_pattern_ops'})
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index('ix_responses_round_unit_status',
                              ['round_id', 'unit_id', 'status', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index('ix_responses_round_unit_status')
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index('ix_units_path_pattern')
    with op.batch_alter_table('cached_summaries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cached_summaries_round_id'))
    op.drop_table('cached_summaries')
