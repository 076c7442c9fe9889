"""user time zone (issue 13, six languages): an IANA name, or none for the service default

Revision ID: e13a1f0c2d3b
Revises: d7baa5522173
Create Date: 2026-11-30 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'e13a1f0c2d3b'
down_revision = 'e13c0a1b2c3d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
