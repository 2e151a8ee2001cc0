"""Comments and attachments get opaque public ids, so that public links cannot be put in order

Revision ID: 5e1a0b7c2d13
Revises: c3d1e0f4a7b2
Create Date: 2026-12-07 16:05:00.000000

"""
import secrets

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5e1a0b7c2d13'
down_revision = 'c3d1e0f4a7b2'
branch_labels = None
depends_on = None

TABLES = ('comments', 'attachments')


def opaque_id():
    """As consult.database.opaque_id, copied so that the migration never changes with the app."""
    while (value := secrets.token_urlsafe(16)).startswith('-'):
        pass
    return value


def upgrade():
    connection = op.get_bind()
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('public_id', sa.String(length=22), nullable=True))
        rows = sa.table(table, sa.column('id', sa.Integer), sa.column('public_id', sa.String))
        ids = connection.execute(sa.select(rows.c.id)).scalars().all()
        for row_id in ids:  # each row its own random id: nothing of the old order survives
            connection.execute(
                rows.update().where(rows.c.id == row_id).values(public_id=opaque_id())
            )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('public_id', existing_type=sa.String(length=22), nullable=False)
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_public_id'), ['public_id'])


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_public_id'), type_='unique')
            batch_op.drop_column('public_id')
