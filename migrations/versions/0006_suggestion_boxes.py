"""suggestion boxes and their messages

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 00:40:00

"""
from alembic import op
import sqlalchemy as sa

import server.db_types  # noqa: F401  (UTCDateTime columns)

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('suggestion_topics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('label_vi', sa.String(length=120), nullable=False),
    sa.Column('label_en', sa.String(length=120), nullable=False),
    sa.Column('label_km', sa.String(length=120), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_topics')),
    sa.UniqueConstraint('key', name=op.f('uq_suggestion_topics_key'))
    )
    op.create_table('suggestion_boxes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('is_open', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', server.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', server.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_suggestion_boxes_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_suggestion_boxes_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_boxes')),
    sa.UniqueConstraint('code', name=op.f('uq_suggestion_boxes_code'))
    )
    with op.batch_alter_table('suggestion_boxes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_boxes_unit_id'), ['unit_id'], unique=False)

    op.create_table('suggestion_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('box_id', sa.Integer(), nullable=False),
    sa.Column('client_uuid', sa.String(length=36), nullable=False),
    sa.Column('receipt_code', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('received_at', server.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('moderation', sa.String(length=16), nullable=False),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.Column('first_reply_at', server.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', server.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assigned_to_id'], ['users.id'], name=op.f('fk_suggestion_messages_assigned_to_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['box_id'], ['suggestion_boxes.id'], name=op.f('fk_suggestion_messages_box_id_suggestion_boxes')),
    sa.ForeignKeyConstraint(['topic_id'], ['suggestion_topics.id'], name=op.f('fk_suggestion_messages_topic_id_suggestion_topics')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_messages')),
    sa.UniqueConstraint('client_uuid', name=op.f('uq_suggestion_messages_client_uuid')),
    sa.UniqueConstraint('receipt_code', name=op.f('uq_suggestion_messages_receipt_code'))
    )
    with op.batch_alter_table('suggestion_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_messages_box_id'), ['box_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestion_messages_received_at'), ['received_at'], unique=False)

    op.create_table('suggestion_contacts',
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('details', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['suggestion_messages.id'], name=op.f('fk_suggestion_contacts_message_id_suggestion_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('message_id', name=op.f('pk_suggestion_contacts'))
    )
    op.create_table('suggestion_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', server.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_suggestion_replies_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['message_id'], ['suggestion_messages.id'], name=op.f('fk_suggestion_replies_message_id_suggestion_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_replies'))
    )
    with op.batch_alter_table('suggestion_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_replies_message_id'), ['message_id'], unique=False)


def downgrade():
    with op.batch_alter_table('suggestion_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_replies_message_id'))
    op.drop_table('suggestion_replies')
    op.drop_table('suggestion_contacts')
    with op.batch_alter_table('suggestion_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_messages_received_at'))
        batch_op.drop_index(batch_op.f('ix_suggestion_messages_box_id'))
    op.drop_table('suggestion_messages')
    with op.batch_alter_table('suggestion_boxes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_boxes_unit_id'))
    op.drop_table('suggestion_boxes')
    op.drop_table('suggestion_topics')
