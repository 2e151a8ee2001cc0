"""Public lists read a round's comments by day, then public id, from an index

Revision ID: 9c4d1e2f3a15
Revises: 7b3c9d2e4f14
Create Date: 2026-12-07 17:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '9c4d1e2f3a15'
down_revision = '7b3c9d2e4f14'
branch_labels = None
depends_on = None

#: The UTC day of published_at, written as consult.database.utc_day compiles it on each database.
DAY = {
    'sqlite': 'substr(published_at, 1, 10)',
    'postgresql': "CAST(timezone('UTC', published_at) AS DATE)",
}


def upgrade():
    day = sa.text(DAY[op.get_bind().dialect.name])
    op.create_index(
        'ix_comments_round_state_day_public_id', 'comments', ['round_id', 'state', day, 'public_id']
    )


def downgrade():
    op.drop_index('ix_comments_round_state_day_public_id', table_name='comments')
