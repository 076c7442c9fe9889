"""Shared fixtures: a fresh app and database per test, signed-in clients, socket clients."""
from __future__ import annotations

import functools
import itertools

import pytest

pytest.register_assert_rewrite("tests.support")

from flask import g  # noqa: E402

from collab import catalogues, create_app
from collab.extensions import db, socketio
from collab.models import Partner, Plan, PlanSection, PlanVersion, Room, RoomPartner, Round, User, Workshop
from collab.services import rounds
from collab.services.inputs import RoundInput, parse
from collab.services.markdown import render_with_text
from collab.services.publish import RecordingPublisher
from collab.services.unit_of_work import write
from collab.services.workshops import default_rubric
from config import TestingConfig

pytest_plugins = ["tests.support.servers", "tests.support.browser"]

PASSWORD = "correct horse battery staple"
# Hashing with the production cost in every fixture would make the suite slow; one hash is reused.
_HASH_CACHE: dict[str, str] = {}


def pytest_sessionstart(session) -> None:
    catalogues.compile_all()  # the .mo files are build output: pages in every language need them


@pytest.fixture
def app(tmp_path):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'test.db'}")
    # Each real request gets a fresh app context; tests keep one pushed for database access,
    # so what Flask-Login and Flask-WTF cache in `g` must not leak from one request to the next.
    @app.before_request
    def _fresh_user() -> None:
        g.pop("_login_user", None)
        g.pop("csrf_token", None)
        g.pop("_flask_babel", None)  # the locale and time zone Flask-Babel chose

    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def published(app) -> RecordingPublisher:
    """Swap the Socket.IO publisher for one that records (service-level tests)."""
    recorder = RecordingPublisher()
    app.extensions["collab.publisher"] = recorder
    return recorder


@pytest.fixture
def client(app):
    return app.test_client()


_counter = itertools.count(1)


def _stored(method):
    """Each factory call is one unit of work, as every write in the service is."""

    @functools.wraps(method)
    def in_unit(*args, **kwargs):
        with write():
            return method(*args, **kwargs)

    return in_unit


class Factory:
    """Builds rows directly (fast); the behaviour under test goes through the services."""

    @_stored
    def user(self, name: str | None = None, *, admin: bool = False, partner: Partner | None = None) -> User:
        from werkzeug.security import generate_password_hash

        n = next(_counter)
        if PASSWORD not in _HASH_CACHE:
            _HASH_CACHE[PASSWORD] = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        user = User(email=f"user{n}@example.org", name=name or f"User {n}", password_hash=_HASH_CACHE[PASSWORD], is_admin=admin)
        if partner is not None:
            partner.members.append(user)
        db.session.add(user)
        return user

    @_stored
    def partner(self, short_name: str | None = None, country: str = "LT") -> Partner:
        n = next(_counter)
        partner = Partner(name=f"Partner {n}", short_name=short_name or f"P{n}", country=country, organisations=[f"Org {n}"])
        db.session.add(partner)
        return partner

    @_stored
    def plan(self, partner: Partner, sections: list[tuple[str, str, str]] | None = None) -> Plan:
        sections = sections or [("executive-summary", "Executive summary", "We will **grow**."), ("action-1", "Action 1", "Do things.")]
        plan = Plan(partner=partner, title=f"Plan of {partner.short_name}", latest_version=1)
        version = PlanVersion(plan=plan, number=1, note="v1")
        version.sections = [PlanSection(key=k, title=t, body=b, body_html=render_with_text(b)[0], text=render_with_text(b)[1], position=i)
                            for i, (k, t, b) in enumerate(sections)]
        db.session.add(plan)
        return plan

    @_stored
    def workshop(self, partners: list[Partner], facilitators: list[User]) -> Workshop:
        workshop = Workshop(title="Workshop", rubric=default_rubric(), partners=partners, facilitators=facilitators)
        db.session.add(workshop)
        return workshop

    @_stored
    def round(self, workshop: Workshop, rooms: list[list[Partner]], status: str = "pending", minutes: int = 20) -> Round:
        rnd = Round(workshop=workshop, name="Round", minutes=minutes, status=status)
        db.session.add(rnd)
        for position, partners in enumerate(rooms):
            room = Room(round=rnd, name=f"Room {position + 1}", position=position)
            db.session.add(room)
            room.seats = [RoomPartner(round=rnd, partner_id=p.id) for p in partners]
            db.session.add(room)
        db.session.add(rnd)
        return rnd


@pytest.fixture
def make() -> Factory:
    return Factory()


@pytest.fixture
def world(app, make):
    """Two paired partners with a plan each, an outsider partner, a facilitator and an admin."""
    lt, pl, hu = make.partner("KLAIPEDA", "LT"), make.partner("RRDA", "PL"), make.partner("PANNON", "HU")
    w = type("World", (), {})()
    w.lt, w.pl, w.hu = lt, pl, hu
    w.lt_member = make.user("Rūta", partner=lt)
    w.pl_member = make.user("Tomasz", partner=pl)
    w.outsider = make.user("Ágnes", partner=hu)
    w.facilitator = make.user("Gintarė")
    w.admin = make.user("Admin", admin=True)
    w.lt_plan, w.pl_plan, w.hu_plan = make.plan(lt), make.plan(pl), make.plan(hu)
    w.workshop = make.workshop([lt, pl, hu], [w.facilitator])
    return w


@pytest.fixture
def login(client):
    """Sign a user in on the shared test client through the API; returns the CSRF token."""

    def _login(user: User, password: str = PASSWORD) -> str:
        response = client.post("/api/v1/session", json={"email": user.email, "password": password})
        assert response.status_code == 200, response.get_json()
        token = response.get_json()["csrf_token"]
        client.environ_base["HTTP_X_CSRFTOKEN"] = token
        return token

    return _login


@pytest.fixture
def connect(app):
    """connect(user) -> a Flask-SocketIO test client signed in as that user."""
    clients = []

    def _connect(user: User, password: str = PASSWORD):
        http = app.test_client()
        response = http.post("/api/v1/session", json={"email": user.email, "password": password})
        assert response.status_code == 200
        sio = socketio.test_client(app, flask_test_client=http)
        clients.append(sio)
        return sio

    yield _connect
    for sio in clients:
        if sio.is_connected():
            sio.disconnect()


# --- live rooms over the Flask-SocketIO test client ---------------------------------

def names(sio) -> list[str]:
    return [m["name"] for m in sio.get_received()]


def received(sio, name: str) -> list[dict]:
    return [m["args"][0] for m in sio.get_received() if m["name"] == name]


@pytest.fixture
def live(world, connect):
    """A round with KLAIPEDA and RRDA paired in room A; PANNON sits alone in room B."""
    rnd = rounds.create_round(world.facilitator, world.workshop.id, parse(RoundInput, {"minutes": 20, "rooms": [
        {"name": "A", "partner_ids": [world.lt.id, world.pl.id]}, {"name": "B", "partner_ids": [world.hu.id]}]}))
    world.round = rnd
    world.room_a, world.room_b = rnd.rooms
    world.lt_sio, world.pl_sio = connect(world.lt_member), connect(world.pl_member)
    world.out_sio, world.fac_sio = connect(world.outsider), connect(world.facilitator)
    for sio in (world.lt_sio, world.pl_sio, world.out_sio, world.fac_sio):
        ack = sio.emit("join_workshop", {"workshop_id": world.workshop.id}, callback=True)
        assert ack["ok"], ack
        sio.get_received()
    return world


def ack_of(sio, event, payload):
    return sio.emit(event, payload, callback=True)


def open_and_enter(w):
    assert ack_of(w.fac_sio, "open_round", {"round_id": w.round.id})["ok"]
    for sio in (w.lt_sio, w.pl_sio):
        ack = ack_of(sio, "join_room", {"room_id": w.room_a.id})
        assert ack["ok"], ack
    assert ack_of(w.out_sio, "join_room", {"room_id": w.room_b.id})["ok"]
    for sio in (w.lt_sio, w.pl_sio, w.out_sio, w.fac_sio):
        sio.get_received()
