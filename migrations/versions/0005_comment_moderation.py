"""comment moderation (hidden comments with a reason)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 00:40:00

"""
from alembic import op
import sqlalchemy as sa

import server.db_types  # noqa: F401  (UTCDateTime columns)

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hidden_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=100), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_at', server.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_hidden_comments_hidden_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_hidden_comments_response_id_responses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_hidden_comments_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hidden_comments')),
    sa.UniqueConstraint('response_id', 'question', name='uq_hidden_comments_response_question')
    )
    with op.batch_alter_table('hidden_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hidden_comments_round_id'), ['round_id'], unique=False)

    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reports_final_at', server.db_types.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('reports_final_at')

    with op.batch_alter_table('hidden_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hidden_comments_round_id'))

    op.drop_table('hidden_comments')
