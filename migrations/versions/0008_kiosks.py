"""one-stop-desk kiosks, pairing and ratings

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 01:35:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import server.db_types  # noqa: F401  (UTCDateTime columns)

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

UTC = server.db_types.UTCDateTime(timezone=True)


def upgrade():
    op.create_table(
        'kiosk_desks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('services', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'),
                  nullable=False),
        sa.Column('min_interval_seconds', sa.Integer(), nullable=False),
        sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column('created_at', UTC, nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('kiosk_desks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosk_desks_unit_id'), ['unit_id'], unique=False)

    op.create_table(
        'kiosk_pairing_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('desk_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', UTC, nullable=False),
        sa.Column('expires_at', UTC, nullable=False),
        sa.Column('used_at', UTC, nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['desk_id'], ['kiosk_desks.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code_hash'),
    )
    with op.batch_alter_table('kiosk_pairing_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosk_pairing_codes_desk_id'), ['desk_id'], unique=False)

    op.create_table(
        'kiosk_devices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('desk_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('paired_at', UTC, nullable=False),
        sa.Column('revoked_at', UTC, nullable=True),
        sa.ForeignKeyConstraint(['desk_id'], ['kiosk_desks.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    with op.batch_alter_table('kiosk_devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosk_devices_desk_id'), ['desk_id'], unique=False)

    op.create_table(
        'kiosk_ratings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('desk_id', sa.Integer(), nullable=False),
        sa.Column('device_id', sa.Integer(), nullable=True),
        sa.Column('client_uuid', sa.String(length=36), nullable=False),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.Column('service', sa.String(length=120), nullable=True),
        sa.Column('comment', sa.String(length=200), nullable=True),
        sa.Column('rated_at', UTC, nullable=False),
        sa.Column('received_at', UTC, nullable=False),
        sa.Column('flag', sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(['desk_id'], ['kiosk_desks.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['device_id'], ['kiosk_devices.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('client_uuid'),
    )
    with op.batch_alter_table('kiosk_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosk_ratings_desk_id'), ['desk_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kiosk_ratings_rated_at'), ['rated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('kiosk_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosk_ratings_rated_at'))
        batch_op.drop_index(batch_op.f('ix_kiosk_ratings_desk_id'))
    op.drop_table('kiosk_ratings')
    with op.batch_alter_table('kiosk_devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosk_devices_desk_id'))
    op.drop_table('kiosk_devices')
    with op.batch_alter_table('kiosk_pairing_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosk_pairing_codes_desk_id'))
    op.drop_table('kiosk_pairing_codes')
    with op.batch_alter_table('kiosk_desks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosk_desks_unit_id'))
    op.drop_table('kiosk_desks')
