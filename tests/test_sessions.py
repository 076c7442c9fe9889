"""Finding 8 of issue 10: sessions expire, production sends HSTS, weak secrets are refused (S34)."""
from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

from collab import create_app
from collab.extensions import db
from collab.models import AuthSession
from collab.models.base import utcnow
from collab.realtime import sessions
from collab.services.unit_of_work import write


def _session_row() -> AuthSession:
    db.session.expire_all()
    return db.session.query(AuthSession).one()


def _shift(**changes) -> None:
    with write():
        row = db.session.query(AuthSession).one()
        for name, value in changes.items():
            setattr(row, name, value)


def test_a_session_older_than_its_lifetime_is_refused(client, world, login, app):
    login(world.lt_member)
    assert client.get("/api/v1/me").status_code == 200
    _shift(created_at=utcnow() - timedelta(seconds=app.config["SESSION_LIFETIME_SECONDS"] + 60), last_seen_at=utcnow())
    assert client.get("/api/v1/me").status_code == 401


def test_a_session_idle_too_long_is_refused(client, world, login, app):
    login(world.lt_member)
    _shift(last_seen_at=utcnow() - timedelta(seconds=app.config["SESSION_IDLE_SECONDS"] + 60))
    assert client.get("/api/v1/me").status_code == 401


def test_use_keeps_a_session_alive_recording_it_at_most_once_a_minute(client, world, login, app):
    login(world.lt_member)
    idle = app.config["SESSION_IDLE_SECONDS"]
    _shift(last_seen_at=utcnow() - timedelta(seconds=idle - 30))  # about to expire
    assert client.get("/api/v1/me").status_code == 200
    seen = _session_row().last_seen_at
    assert utcnow() - seen < timedelta(seconds=5)
    assert client.get("/api/v1/me").status_code == 200
    assert _session_row().last_seen_at == seen  # not written again within the minute


def test_the_sweep_disconnects_sockets_whose_session_expired_and_no_others(app, world, connect):
    expiring, staying = connect(world.lt_member), connect(world.pl_member)
    assert sessions.end_expired(app) == []
    with write():
        row = db.session.query(AuthSession).filter_by(user_id=world.lt_member.id).one()
        row.created_at = utcnow() - timedelta(days=400)
    assert len(sessions.end_expired(app)) == 1
    assert not expiring.is_connected() and staying.is_connected()
    ack = staying.emit("join_workshop", {"workshop_id": world.workshop.id}, callback=True)
    assert ack["ok"] is True


def test_socket_events_keep_their_session_alive_through_the_sweep(app, world, connect):
    sio = connect(world.lt_member)
    about_to_expire = utcnow() - timedelta(seconds=app.config["SESSION_IDLE_SECONDS"] - 30)
    _shift(last_seen_at=about_to_expire)
    sessions.end_expired(app)  # no event since the last sweep: not recorded as use
    assert _session_row().last_seen_at == about_to_expire
    sio.emit("join_workshop", {"workshop_id": world.workshop.id}, callback=True)
    sessions.end_expired(app)
    assert utcnow() - _session_row().last_seen_at < timedelta(seconds=5)
    assert sio.is_connected()


def test_production_sends_hsts_and_development_does_not(monkeypatch, tmp_path, world, app):
    from config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    production = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'test.db'}")
    header = production.test_client().get("/healthz").headers.get("Strict-Transport-Security", "")
    assert "max-age=" in header and int(header.split("max-age=")[1].split(";")[0]) >= 15552000
    assert "Strict-Transport-Security" not in app.test_client().get("/healthz").headers


@pytest.mark.parametrize("weak", ["a" * 32, "ab" * 20, "0123456789" * 4, "changeme" * 4])
def test_weak_secret_keys_are_refused_in_production(monkeypatch, weak):
    from config import config_from_env

    monkeypatch.setenv("COLLAB_CONFIG", "production")
    monkeypatch.setenv("SECRET_KEY", weak)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config_from_env()
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(32))
    config_from_env()


def test_a_socket_that_connects_as_its_session_is_signed_out_is_refused(app, world, client, login):
    """Sign-out disconnects the sockets it finds; one connecting at that moment had passed the
    connect's first check but was not recorded yet, so the connect checks again as it records."""
    from collab.models import Connection
    from collab.services import auth, presence
    from collab.services.errors import Unauthorized

    login(world.lt_member)
    user = auth.user_for_token(_session_row().token)  # the connect's first check: live
    assert user is not None
    auth.sign_out(user.auth_token)  # meanwhile, from the user's other tab
    with pytest.raises(Unauthorized):
        presence.open_connection(user, "sid-connecting", "worker", limit=8)
    assert db.session.query(Connection).count() == 0


def test_a_short_idle_limit_still_keeps_a_session_in_use_alive(client, world, login, app):
    app.config["SESSION_IDLE_SECONDS"] = 60  # SESSION_IDLE_MINUTES=1
    login(world.lt_member)
    twenty_seconds_ago = utcnow() - timedelta(seconds=20)
    _shift(last_seen_at=twenty_seconds_ago)
    assert client.get("/api/v1/me").status_code == 200
    assert _session_row().last_seen_at > twenty_seconds_ago  # recorded: a minute's resolution would let it lapse


def test_an_event_attaches_the_socket_user_only_when_it_is_asked_for(live, monkeypatch):
    """The hot path (an item posted in the poster's room) never asks for `current_user`, so
    its event does not attach the socket's user to the database session; an event that asks
    gets the user the socket connected as, without a query."""
    from tests.conftest import ack_of, open_and_enter

    open_and_enter(live)
    merged: list[object] = []
    session_merge = db.session.merge
    monkeypatch.setattr(db.session, "merge", lambda *args, **kwargs: merged.append(args[0]) or session_merge(*args, **kwargs))
    ack = ack_of(live.pl_sio, "submit_feedback", {
        "client_id": "00000000-0000-4000-8000-00000000a77a", "room_id": live.room_a.id, "plan_id": live.lt_plan.id,
        "section_key": "executive-summary", "kind": "question", "body": "Who adopts it?"})
    assert ack["ok"], ack
    assert merged == []
    assert ack_of(live.pl_sio, "raise_hand", {"room_id": live.room_a.id})["ok"]  # asks for the user
    assert [user.id for user in merged] == [live.pl_member.id]
