"""Moderation decisions can be undone for a short time, before the author is told

Revision ID: b7e2a4c9d3f1
Revises: a7e3c5d1b9f2
Create Date: 2026-12-08 00:10:00.000000

"""
import warnings
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b7e2a4c9d3f1'
down_revision = 'a7e3c5d1b9f2'
branch_labels = None
depends_on = None

STATES = ('draft', 'submitted', 'published', 'rejected', 'changes_requested', 'withdrawn')


@contextmanager
def rebuilt():
    """SQLite rebuilds the table to add a foreign key, reflecting the comments it refers to on the way, whose
    index on an expression it cannot reflect (and says so): that index is not touched here."""
    with warnings.catch_warnings():
        warnings.filterwarnings('ignore', 'Skipped unsupported reflection of expression-based index')
        with op.batch_alter_table('moderation_decisions', schema=None) as batch_op:
            yield batch_op


def upgrade():
    with rebuilt() as batch_op:
        batch_op.add_column(sa.Column(
            'previous_state',
            sa.Enum(*STATES, name='commentstate', native_enum=False, create_constraint=True),
            nullable=True,
        ))
        batch_op.add_column(sa.Column('previous_published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('previous_hidden_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('notify_after', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('undone_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_moderation_decisions_undone_by_id_users'), 'users', ['undone_by_id'], ['id'],
            ondelete='SET NULL',
        )
        batch_op.create_index(batch_op.f('ix_moderation_decisions_notify_after'), ['notify_after'], unique=False)


def downgrade():
    with rebuilt() as batch_op:
        batch_op.drop_index(batch_op.f('ix_moderation_decisions_notify_after'))
        batch_op.drop_constraint(batch_op.f('fk_moderation_decisions_undone_by_id_users'), type_='foreignkey')
        batch_op.drop_column('undone_by_id')
        batch_op.drop_column('undone_at')
        batch_op.drop_column('notified_at')
        batch_op.drop_column('notify_after')
        batch_op.drop_column('previous_hidden_at')
        batch_op.drop_column('previous_published_at')
        batch_op.drop_constraint(batch_op.f('ck_moderation_decisions_commentstate'), type_='check')
        batch_op.drop_column('previous_state')
