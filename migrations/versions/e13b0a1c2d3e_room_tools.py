"""room tools (issue 13): a raised hand and a video-call link per room, workshop resources

Revision ID: e13b0a1c2d3e
Revises: d7baa5522173
Create Date: 2026-11-30 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import collab.models.base


# revision identifiers, used by Alembic.
revision = 'e13b0a1c2d3e'
down_revision = 'd7baa5522173'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('video_url', sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column('hand_raised_at', collab.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('hand_raised_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_rooms_hand_raised_by_id_users'), 'users', ['hand_raised_by_id'], ['id'],
                                    ondelete='SET NULL')

    op.create_table('workshop_resources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=True),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('workshop_resources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_resources_workshop_id'), ['workshop_id'], unique=False)


def downgrade():
    with op.batch_alter_table('workshop_resources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_resources_workshop_id'))
    op.drop_table('workshop_resources')

    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_rooms_hand_raised_by_id_users'), type_='foreignkey')
        batch_op.drop_column('hand_raised_by_id')
        batch_op.drop_column('hand_raised_at')
        batch_op.drop_column('video_url')
