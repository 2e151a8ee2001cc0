"""Summarisers tag the input they read: working notes on comments, per summary, never public

Revision ID: d4b8e1c6a2f7
Revises: d4f6a8c2e1b3
Create Date: 2026-12-08 00:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d4b8e1c6a2f7"
down_revision = "d4f6a8c2e1b3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "comment_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("summary_id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.CheckConstraint("length(trim(name)) > 0", name=op.f("ck_comment_tags_name_not_empty")),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_comment_tags_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["summary_id"],
            ["summaries.id"],
            name=op.f("fk_comment_tags_summary_id_summaries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_tags")),
        sa.UniqueConstraint(
            "summary_id", "comment_id", "name", name=op.f("uq_comment_tags_summary_id_comment_id_name")
        ),
    )
    with op.batch_alter_table("comment_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comment_tags_comment_id"), ["comment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_comment_tags_summary_id"), ["summary_id"], unique=False)


def downgrade():
    with op.batch_alter_table("comment_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comment_tags_summary_id"))
        batch_op.drop_index(batch_op.f("ix_comment_tags_comment_id"))

    op.drop_table("comment_tags")
