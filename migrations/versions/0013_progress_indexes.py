"""indexes for the progress page at national scale

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 07:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    # Every column the progress counts read (server/progress/counting.py): a round's
    # responses counted per unit, volunteer and day by index-only scans.
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index('ix_responses_round_progress',
                              ['round_id', 'unit_id', 'volunteer_id', 'completed_at',
                               'received_at', 'status', 'is_late', 'excluded_at'],
                              unique=False)
        # every index on responses now starts with round_id: its own index only cost writes
        batch_op.drop_index('ix_responses_round_id')


def downgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index('ix_responses_round_id', ['round_id'], unique=False)
        batch_op.drop_index('ix_responses_round_progress')
