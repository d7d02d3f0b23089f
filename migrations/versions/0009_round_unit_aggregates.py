"""per-unit aggregates kept per round, materialised when a round closes

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 04:00:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text  # noqa: F401  (JSONB columns)
from sqlalchemy.dialects import postgresql

import server.db_types  # noqa: F401  (UTCDateTime columns)

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('round_aggregates',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.Column('stamp', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('built_at', server.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_aggregates_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', name=op.f('pk_round_aggregates'))
    )
    op.create_table('round_unit_aggregates',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('own_listed', sa.Integer(), nullable=False),
    sa.Column('own_listed_id_sum', sa.BigInteger(), nullable=False),
    sa.Column('own_listed_id_max', sa.BigInteger(), nullable=False),
    sa.Column('own_responses', sa.Integer(), nullable=False),
    sa.Column('own_late', sa.Integer(), nullable=False),
    sa.Column('own_rejected', sa.Integer(), nullable=False),
    sa.Column('own_excluded', sa.Integer(), nullable=False),
    sa.Column('tree_listed', sa.Integer(), nullable=False),
    sa.Column('tree_listed_id_sum', sa.BigInteger(), nullable=False),
    sa.Column('tree_listed_id_max', sa.BigInteger(), nullable=False),
    sa.Column('tree_responses', sa.Integer(), nullable=False),
    sa.Column('tallies', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=True),
    sa.Column('margins', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_unit_aggregates_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_round_unit_aggregates_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'unit_id', name=op.f('pk_round_unit_aggregates'))
    )


def downgrade():
    op.drop_table('round_unit_aggregates')
    op.drop_table('round_aggregates')
