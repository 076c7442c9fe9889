"""Loads the demo partnership of PRODUCT.md: idempotent, so running it twice changes nothing."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from collab import demo_content as content
from collab.extensions import db
from collab.models import Partner, Plan, PlanSection, PlanVersion, Room, RoomPartner, Round, User, Workshop
from collab.services.auth import hash_password
from collab.services.inputs import SectionInput
from collab.services.markdown import render
from collab.services.plans import render_sections
from collab.services.unit_of_work import write
from collab.services.workshops import default_rubric


def _user(name: str, email: str, password_hash: str, *, is_admin: bool = False) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if user is None:
        user = User(email=email.lower(), name=name, password_hash=password_hash, is_admin=is_admin)
        db.session.add(user)
    return user


def _partner(spec: dict, password_hash: str, sections: list[PlanSection]) -> Partner:
    partner = db.session.scalar(select(Partner).where(Partner.short_name == spec["short_name"]))
    if partner is None:
        partner = Partner(name=spec["name"], short_name=spec["short_name"], country=spec["country"],
                          organisations=list(spec["organisations"]))
        db.session.add(partner)
    for member in spec["members"]:
        user = _user(member["name"], member["email"], password_hash)
        if user not in partner.members:
            partner.members.append(user)
    if not partner.plans:
        plan = Plan(partner=partner, title=spec["plan"]["title"], latest_version=1)
        version = PlanVersion(plan=plan, number=1, note="Draft presented at the workshop")
        version.sections = sections
        db.session.add(plan)
    return partner


def _workshop(facilitator: User, partners: dict[str, Partner]) -> Workshop:
    spec = content.WORKSHOP
    workshop = db.session.scalar(select(Workshop).where(Workshop.title == spec["title"]))
    if workshop is None:
        workshop = Workshop(
            title=spec["title"], description=spec["description"], description_html=str(render(spec["description"])),
            rubric=default_rubric(),
            starts_at=datetime.fromisoformat(spec["starts_at"].replace("Z", "+00:00")),
        )
        db.session.add(workshop)
    for partner in partners.values():
        if partner not in workshop.partners:
            workshop.partners.append(partner)
    if facilitator not in workshop.facilitators:
        workshop.facilitators.append(facilitator)
    db.session.flush()
    if not workshop.rounds:
        rnd = Round(workshop=workshop, name="Breakout round 1", minutes=20)
        for position, room_spec in enumerate(content.ROOMS):
            room = Room(round=rnd, name=room_spec["name"], position=position)
            room.seats = [RoomPartner(round=rnd, partner_id=partners[short].id) for short in room_spec["partners"]]
            db.session.add(room)
        db.session.add(rnd)
    return workshop


def load_demo() -> Workshop:
    password_hash = hash_password(content.DEMO_PASSWORD)
    sections = {spec["short_name"]: render_sections([SectionInput(**s) for s in spec["plan"]["sections"]]) for spec in content.PARTNERS}
    with write():
        facilitator = _user(content.FACILITATOR["name"], content.FACILITATOR["email"], password_hash, is_admin=True)
        partners = {spec["short_name"]: _partner(spec, password_hash, sections[spec["short_name"]]) for spec in content.PARTNERS}
        db.session.flush()
        workshop = _workshop(facilitator, partners)
    return workshop


def sign_in_details() -> list[tuple[str, str]]:
    """(who, email) pairs to print: the facilitator and one member per partner."""
    rows = [("Facilitator", content.FACILITATOR["email"])]
    rows += [(f"{spec['short_name']} member", spec["members"][0]["email"]) for spec in content.PARTNERS]
    return rows
