"""event audience: who may see an event is fixed when it is stored

Replaces `scope` and `partner_id` with `audience` (null: the whole workshop; else the
partners whose members may see it, besides the facilitators).

Revision ID: b7c1d2e3f4a5
Revises: 750fa0ca2fab
Create Date: 2026-11-29 07:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7c1d2e3f4a5'
down_revision = '750fa0ca2fab'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshop_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audience', sa.JSON(), nullable=True))
    conn = op.get_bind()
    events = sa.table('workshop_events', sa.column('id', sa.Integer), sa.column('scope', sa.String),
                      sa.column('room_id', sa.Integer), sa.column('partner_id', sa.Integer), sa.column('audience', sa.JSON))
    seats = sa.table('room_partners', sa.column('room_id', sa.Integer), sa.column('partner_id', sa.Integer))
    seated: dict[int, set[int]] = {}
    for room_id, partner_id in conn.execute(sa.select(seats.c.room_id, seats.c.partner_id)):
        seated.setdefault(room_id, set()).add(partner_id)
    rows = conn.execute(sa.select(events.c.id, events.c.scope, events.c.room_id, events.c.partner_id)).all()
    for event_id, scope, room_id, partner_id in rows:
        if scope == 'workshop':
            continue
        partners = set(seated.get(room_id, set())) if scope == 'room' else set()
        if partner_id is not None:
            partners.add(partner_id)
        conn.execute(events.update().where(events.c.id == event_id).values(audience=sorted(partners)))
    with op.batch_alter_table('workshop_events', schema=None) as batch_op:
        batch_op.drop_column('partner_id')
        batch_op.drop_column('scope')


def downgrade():
    with op.batch_alter_table('workshop_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.String(length=16), nullable=False, server_default='workshop'))
        batch_op.add_column(sa.Column('partner_id', sa.Integer(), nullable=True))
        batch_op.drop_column('audience')
