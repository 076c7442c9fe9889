"""Benchmark data put straight into a Collab database: workshops with an opened round of rooms,
and every member signed in through the real login endpoint.

Run as a separate process with the server's environment (so the load generator's own CPU
figure does not include it, and the secret key and database are the server's):

    python -m bench.fixtures rooms ROOMS OUT.json [--per-workshop 100]
    python -m bench.fixtures demo OUT.json

`rooms` writes `{"rooms": [{"id", "workshop_id", "members": [...]}]}`; each member has its
session `cookie`, `user_id`, the `plan_id` it comments on (the other partner's) and that
plan's `section_key`. `demo` signs in the demo workshop's facilitator and members.

Bench users get a one-iteration PBKDF2 hash: the login code path is the real one, but a
thousand sign-ins then take seconds instead of a minute of scrypt on two cores.
"""
from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

from werkzeug.security import generate_password_hash

PASSWORD = "bench-password"
CHEAP_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
DEMO_PASSWORD = "workshop-demo-2026"


def _app():
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    from collab import create_app

    # The fixture signs in thousands of members from one address: not what the limit is for.
    return create_app(RATELIMIT_ENABLED=False)


def _partner(n: int, db) -> "object":
    """A partner with two members and a one-section plan."""
    from collab.models import Partner, Plan, PlanSection, PlanVersion, User

    partner = Partner(name=f"Bench partner {n}", short_name=f"BENCH{n}", country="LT", organisations=["Bench"])
    partner.members = [User(email=f"bench{n}-{m}@bench.example", name=f"Bench {n}.{m}", password_hash=CHEAP_HASH) for m in range(2)]
    plan = Plan(partner=partner, title=f"Bench plan {n}", latest_version=1)
    version = PlanVersion(plan=plan, number=1, note="Bench")
    version.sections = [PlanSection(key="summary", title="Summary", body="A plan to comment on.",
                                    body_html="<p>A plan to comment on.</p>\n", text="A plan to comment on.", position=0)]
    db.session.add_all([partner, plan])
    return partner


def _workshop(index: int, rooms: int, first_partner: int, facilitator, db):
    """A workshop with `rooms` rooms of two partners each, round still pending."""
    from collab.models import Room, RoomPartner, Round, Workshop
    from collab.services.workshops import default_rubric

    partners = [_partner(first_partner + n, db) for n in range(2 * rooms)]
    workshop = Workshop(title=f"Bench workshop {index}", rubric=default_rubric(), partners=partners, facilitators=[facilitator])
    rnd = Round(workshop=workshop, name="Bench round", minutes=240)
    db.session.add_all([workshop, rnd])
    db.session.flush()
    for position in range(rooms):
        room = Room(round=rnd, name=f"Room {position + 1}", position=position)
        room.seats = [RoomPartner(round=rnd, partner_id=p.id) for p in partners[2 * position:2 * position + 2]]
        db.session.add(room)
    return rnd


def sign_in(client, email: str, password: str) -> str:
    """The session cookie of a real sign-in (POST /api/v1/session through the app)."""
    response = client.post("/api/v1/session", json={"email": email, "password": password})
    if response.status_code != 200:
        raise RuntimeError(f"sign-in of {email} failed: {response.status_code} {response.get_data(as_text=True)[:200]}")
    return client.get_cookie("session").value


def _member_rows(rnd, db) -> list[dict]:
    from collab.models import Partner

    rooms = []
    for room in rnd.rooms:
        a, b = (db.session.get(Partner, seat.partner_id) for seat in room.seats)
        members = []
        for partner, other in ((a, b), (b, a)):
            for user in partner.members:
                members.append({"user_id": user.id, "email": user.email, "plan_id": other.plans[0].id, "section_key": "summary"})
        rooms.append({"id": room.id, "workshop_id": rnd.workshop_id, "members": members})
    return rooms


def rooms_fixture(rooms: int, per_workshop: int) -> dict:
    """`rooms` rooms over workshops of at most `per_workshop` rooms, rounds opened, members signed in."""
    from collab.extensions import db
    from collab.models import User
    from collab.services.inputs import RoundRef
    from collab.services.rounds import open_round
    from collab.services.unit_of_work import write

    app = _app()
    out = []
    with app.app_context():
        with write():
            facilitator = User(email="bench-facilitator@bench.example", name="Bench facilitator", password_hash=CHEAP_HASH, is_admin=True)
            db.session.add(facilitator)
        made, partner_no, index = 0, 0, 0
        while made < rooms:
            size = min(per_workshop, rooms - made)
            with write():
                rnd = _workshop(index, size, partner_no, facilitator, db)
            open_round(facilitator, RoundRef(round_id=rnd.id))  # the real service: status, deadline, log events
            out += _member_rows(db.session.get(type(rnd), rnd.id), db)
            made, partner_no, index = made + size, partner_no + 2 * size, index + 1
    client = app.test_client()
    for room in out:
        for member in room["members"]:
            member["cookie"] = sign_in(client, member["email"], PASSWORD)
    return {"facilitator_cookie": sign_in(client, "bench-facilitator@bench.example", PASSWORD), "rooms": out}


def _demo_partner(partner) -> dict:
    plan = partner.plans[0]
    return {"id": partner.id, "plan_id": plan.id, "sections": [s.key for s in plan.versions[-1].sections],
            "members": [u.email for u in partner.members]}


def demo_fixture() -> dict:
    """The demo workshop (loaded by `flask --app wsgi demo`): ids, and every account signed in."""
    from sqlalchemy import select

    from collab import demo_content as content
    from collab.extensions import db
    from collab.models import Partner, Workshop

    app = _app()
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.title == content.WORKSHOP["title"]))
        rnd = workshop.rounds[0]
        rooms = [{"id": room.id, "partners": [_demo_partner(db.session.get(Partner, seat.partner_id)) for seat in room.seats]}
                 for room in rnd.rooms]
        result = {"workshop_id": workshop.id, "round_id": rnd.id, "rooms": rooms}
    client = app.test_client()
    emails = [content.FACILITATOR["email"]] + [e for room in rooms for p in room["partners"] for e in p["members"]]
    result["cookies"] = {email: sign_in(client, email, DEMO_PASSWORD) for email in emails}
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fixtures")
    sub = parser.add_subparsers(dest="kind", required=True)
    rooms = sub.add_parser("rooms")
    rooms.add_argument("rooms", type=int)
    rooms.add_argument("out")
    rooms.add_argument("--per-workshop", type=int, default=100)
    demo = sub.add_parser("demo")
    demo.add_argument("out")
    args = parser.parse_args(argv)
    data = rooms_fixture(args.rooms, args.per_workshop) if args.kind == "rooms" else demo_fixture()
    Path(args.out).write_text(json.dumps(data))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
