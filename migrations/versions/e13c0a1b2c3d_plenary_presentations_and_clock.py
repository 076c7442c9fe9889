"""plenary presentations and the presenter's clock (issue 13)

A presentation belongs to its workshop and, in a breakout room, to that room (room null: in
the plenary); it carries its time limit. The workshop has a default limit. A feedback item
given in the plenary names the presentation it was given during.

Revision ID: e13c0a1b2c3d
Revises: d7baa5522173
Create Date: 2026-12-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e13c0a1b2c3d'
down_revision = 'e13b0a1c2d3e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('presentation_minutes', sa.Integer(), nullable=False, server_default='10'))
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.alter_column('presentation_minutes', server_default=None)

    with op.batch_alter_table('presentations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('workshop_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('limit_minutes', sa.Integer(), nullable=False, server_default='10'))
    # Every existing presentation was given in a room: its workshop is the room's.
    op.execute(
        "UPDATE presentations SET workshop_id = (SELECT rounds.workshop_id FROM rooms JOIN rounds ON rounds.id = rooms.round_id "
        "WHERE rooms.id = presentations.room_id)"
    )
    with op.batch_alter_table('presentations', schema=None) as batch_op:
        batch_op.alter_column('workshop_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('limit_minutes', existing_type=sa.Integer(), server_default=None)
        batch_op.alter_column('room_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_presentations_workshop_id_workshops'), 'workshops', ['workshop_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_index('ix_presentations_workshop_running', ['workshop_id', 'room_id', 'ended_at'], unique=False)

    with op.batch_alter_table('feedback_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('presentation_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_feedback_items_presentation_id_presentations'), 'presentations',
                                    ['presentation_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('feedback_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_feedback_items_presentation_id_presentations'), type_='foreignkey')
        batch_op.drop_column('presentation_id')

    # The older schema has no presentation outside a room.
    op.execute("DELETE FROM presentations WHERE room_id IS NULL")
    with op.batch_alter_table('presentations', schema=None) as batch_op:
        batch_op.drop_index('ix_presentations_workshop_running')
        batch_op.drop_constraint(batch_op.f('fk_presentations_workshop_id_workshops'), type_='foreignkey')
        batch_op.alter_column('room_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('limit_minutes')
        batch_op.drop_column('workshop_id')

    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_column('presentation_minutes')
