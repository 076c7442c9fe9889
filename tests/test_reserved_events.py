"""S26: a client event named like a reserved one never reaches the connect/disconnect handlers."""
from __future__ import annotations

from collab.extensions import db
from collab.models import Connection


def test_client_sent_disconnect_keeps_the_connection_row(app, world, connect):
    sio = connect(world.lt_member)
    for reserved in ("disconnect", "connect"):
        ack = sio.emit(reserved, callback=True)
        assert ack["error"]["code"] == "bad_request"
    db.session.expire_all()
    assert db.session.query(Connection).filter_by(user_id=world.lt_member.id).count() == 1
    assert sio.emit("join_workshop", {"workshop_id": world.workshop.id}, callback=True)["ok"]
