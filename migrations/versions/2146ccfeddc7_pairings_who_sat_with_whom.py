"""pairings: who sat with whom per round (issue 11, workshop UI)

Access to a peer's plan rests on having sat together in an opened room; the seats alone
forget it when a partner is moved. Existing opened rounds are backfilled from their seats.

Revision ID: 2146ccfeddc7
Revises: c3d4e5f6a7b8
Create Date: 2026-11-29 07:17:20.746170

"""
from alembic import op
import sqlalchemy as sa

import collab.models.base


# revision identifiers, used by Alembic.
revision = '2146ccfeddc7'
down_revision = 'c3d4e5f6a7b8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pairings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('peer_id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['peer_id'], ['partners.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('round_id', 'partner_id', 'peer_id')
    )
    with op.batch_alter_table('pairings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pairings_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairings_peer_id'), ['peer_id'], unique=False)

    op.execute(
        "INSERT INTO pairings (round_id, partner_id, peer_id, room_id, created_at) "
        "SELECT mine.round_id, mine.partner_id, theirs.partner_id, mine.room_id, CURRENT_TIMESTAMP "
        "FROM room_partners AS mine JOIN room_partners AS theirs "
        "ON theirs.room_id = mine.room_id AND theirs.partner_id != mine.partner_id "
        "JOIN rounds ON rounds.id = mine.round_id WHERE rounds.status != 'pending'"
    )


def downgrade():
    with op.batch_alter_table('pairings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pairings_peer_id'))
        batch_op.drop_index(batch_op.f('ix_pairings_partner_id'))

    op.drop_table('pairings')
