"""adoption steps (issue 13): a plan's way to formal adoption, drafted -> sent -> adopted

Revision ID: e13d0a1b2c3d
Revises: d7baa5522173
Create Date: 2026-11-29 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import collab.models.base


# revision identifiers, used by Alembic.
revision = 'e13d0a1b2c3d'
down_revision = 'e13a1f0c2d3b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('adoption_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('body', sa.String(length=300), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', collab.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('plan_id', 'stage')
    )
    with op.batch_alter_table('adoption_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adoption_steps_plan_id'), ['plan_id'], unique=False)


def downgrade():
    with op.batch_alter_table('adoption_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adoption_steps_plan_id'))

    op.drop_table('adoption_steps')
