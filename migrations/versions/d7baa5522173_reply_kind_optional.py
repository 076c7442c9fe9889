"""reply kind optional (issue 11, workshop UI): a reply has no kind unless one is chosen

Revision ID: d7baa5522173
Revises: 2146ccfeddc7
Create Date: 2026-11-29 07:17:57.669642

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'd7baa5522173'
down_revision = '2146ccfeddc7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback_items', schema=None) as batch_op:
        batch_op.alter_column('kind',
               existing_type=sa.VARCHAR(length=16),
               nullable=True)


def downgrade():
    # The older schema needs a kind on every row; a kind-less reply reads best as a question.
    op.execute("UPDATE feedback_items SET kind = 'question' WHERE kind IS NULL")
    with op.batch_alter_table('feedback_items', schema=None) as batch_op:
        batch_op.alter_column('kind',
               existing_type=sa.VARCHAR(length=16),
               nullable=False)

