"""responses indexed for exports and open-round aggregates

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 07:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    # A round's responses in completion order (the export's ORDER BY completed_at, id):
    # streamed from the index instead of sorting the whole round first.
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index('ix_responses_round_completed',
                              ['round_id', 'completed_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index('ix_responses_round_completed')
