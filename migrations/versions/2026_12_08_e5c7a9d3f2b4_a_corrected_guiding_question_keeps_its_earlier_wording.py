"""A corrected guiding question keeps its earlier wording in the change log, for the comments that answered it

Revision ID: e5c7a9d3f2b4
Revises: d4b8e1c6a2f7
Create Date: 2026-12-08 01:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e5c7a9d3f2b4"
down_revision = "d4b8e1c6a2f7"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("round_changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("question_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("before", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("after", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_round_changes_question_id"), ["question_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_round_changes_question_id_guiding_questions"),
            "guiding_questions",
            ["question_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("round_changes", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_round_changes_question_id_guiding_questions"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_round_changes_question_id"))
        batch_op.drop_column("after")
        batch_op.drop_column("before")
        batch_op.drop_column("question_id")
