"""units keep their folded name, so a search by name is one query

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 05:00:00

"""
import sqlalchemy as sa
from alembic import op

from server.units.models import fold  # the one folding rule the search uses

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

BATCH = 5000

units = sa.table('units', sa.column('id', sa.Integer), sa.column('name', sa.String),
                 sa.column('name_folded', sa.String))


def _fill_folded_names() -> None:
    """Every stored unit's folded name, a batch of units at a time (ordered by id)."""
    connection = op.get_bind()
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(units.c.id, units.c.name).where(units.c.id > last_id)
            .order_by(units.c.id).limit(BATCH)).all()
        if not rows:
            return
        connection.execute(
            units.update().where(units.c.id == sa.bindparam('unit_id'))
            .values(name_folded=sa.bindparam('folded')),
            [{'unit_id': unit_id, 'folded': fold(name)} for unit_id, name in rows])
        last_id = rows[-1][0]


def upgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_folded', sa.String(length=200), nullable=True))
    _fill_folded_names()
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.alter_column('name_folded', existing_type=sa.String(length=200),
                              nullable=False)
        batch_op.create_index('ix_units_name_folded', ['name_folded'], unique=False,
                              postgresql_ops={'name_folded': 'varchar_pattern_ops'})


def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index('ix_units_name_folded')
        batch_op.drop_column('name_folded')
