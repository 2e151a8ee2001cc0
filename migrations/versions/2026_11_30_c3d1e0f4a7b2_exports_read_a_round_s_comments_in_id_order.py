"""Exports read a round's published comments in id order without sorting them

Revision ID: c3d1e0f4a7b2
Revises: a569a809e5d5
Create Date: 2026-11-30 04:15:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c3d1e0f4a7b2'
down_revision = 'a569a809e5d5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_round_state_id', ['round_id', 'state', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_round_state_id')
