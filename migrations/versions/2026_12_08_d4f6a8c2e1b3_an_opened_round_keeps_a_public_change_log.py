"""An opened round keeps a public change log, and a replaced document stays with its comments

Revision ID: d4f6a8c2e1b3
Revises: b7e2a4c9d3f1
Create Date: 2026-12-08 00:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd4f6a8c2e1b3'
down_revision = 'b7e2a4c9d3f1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('round_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('part', sa.Enum('title', 'introduction', 'question', 'questions', 'document', name='changedpart', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('change', sa.Enum('added', 'corrected', 'removed', 'reordered', 'replaced', name='changekind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('languages', sa.String(length=40), nullable=True),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('subject', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_changes_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_changes'))
    )
    with op.batch_alter_table('round_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_changes_round_id'), ['round_id'], unique=False)

    with op.batch_alter_table('round_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replaced_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_round_documents_replaced_by_id'), ['replaced_by_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_round_documents_replaced_by_id_round_documents'),
            'round_documents', ['replaced_by_id'], ['id'], ondelete='SET NULL'
        )


def downgrade():
    with op.batch_alter_table('round_documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_round_documents_replaced_by_id_round_documents'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_round_documents_replaced_by_id'))
        batch_op.drop_column('replaced_at')
        batch_op.drop_column('replaced_by_id')

    with op.batch_alter_table('round_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_changes_round_id'))

    op.drop_table('round_changes')
