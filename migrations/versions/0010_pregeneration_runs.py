"""report pre-generation runs, resumable and fanned out

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 04:00:00

"""
import sqlalchemy as sa
from alembic import op

import server.db_types  # noqa: F401  (UTCDateTime columns)

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

UTC = server.db_types.UTCDateTime(timezone=True)


def upgrade():
    op.create_table(
        'pregeneration_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('workers', sa.Integer(), nullable=False),
        sa.Column('started_at', UTC, nullable=False),
        sa.Column('updated_at', UTC, nullable=False),
        sa.Column('finished_at', UTC, nullable=True),
        sa.Column('planned', sa.Integer(), nullable=False),
        sa.Column('made', sa.Integer(), nullable=False),
        sa.Column('skipped', sa.Integer(), nullable=False),
        sa.Column('failed', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('pregeneration_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pregeneration_runs_round_id'), ['round_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('pregeneration_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pregeneration_runs_round_id'))
    op.drop_table('pregeneration_runs')
