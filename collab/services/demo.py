"""Loads the demo partnership of PRODUCT.md: idempotent, so running it twice changes nothing."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from collab import demo_content as content
from collab.extensions import db
from collab.models import (AdoptionStep, Pairing, Partner, Plan, PlanSection, PlanVersion, Room, RoomPartner, Round, RoundStatus, User, Workshop,
                           WorkshopResource, WorkshopStatus)
from collab.services import history
from collab.services.auth import hash_password
from collab.services.inputs import GeneralFeedbackInput, SectionInput
from collab.services.markdown import render
from collab.services.plans import render_sections
from collab.services.unit_of_work import write
from collab.services.workshops import default_rubric

# Fixed ids of the past workshop's general feedback: loading twice finds the same items.
GENERAL_NAMESPACE = uuid.UUID("0b6b7a56-3f53-4a8e-9d8f-2f1d8f6c4e21")


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
        plan.adoption_steps = [AdoptionStep(stage=stage, body=step["body"], happened_on=date.fromisoformat(step["date"]), note=step.get("note", ""))
                               for stage, step in spec["plan"]["adoption"].items()]
        version = PlanVersion(plan=plan, number=1, note="Draft presented at the workshop")
        version.sections = sections
        db.session.add(plan)
    return partner


def _workshop(spec: dict, facilitator: User, partners: dict[str, Partner], resources: list[dict] | None = None) -> Workshop:
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
    if resources and not workshop.resources:
        workshop.resources = [WorkshopResource(added_by_id=facilitator.id, **resource) for resource in resources]
    if not workshop.rounds:
        rnd = Round(workshop=workshop, name="Breakout round 1", minutes=20)
        for position, room_spec in enumerate(content.ROOMS):
            room = Room(round=rnd, name=room_spec["name"], position=position)
            room.seats = [RoomPartner(round=rnd, partner_id=partners[short].id) for short in room_spec["partners"]]
            db.session.add(room)
        db.session.add(rnd)
    return workshop


def _has_happened(workshop: Workshop) -> None:
    """The past session: its round ran at its start time and closed, and the workshop ended."""
    if workshop.status == WorkshopStatus.ENDED:
        return
    rnd = workshop.rounds[0]
    rnd.status, rnd.opened_at = RoundStatus.CLOSED, workshop.starts_at
    rnd.ends_at = rnd.closed_at = workshop.starts_at + timedelta(minutes=rnd.minutes)
    for room in rnd.rooms:
        db.session.add_all(Pairing(round_id=rnd.id, partner_id=mine, peer_id=peer, room_id=room.id)
                           for mine in room.partner_ids for peer in room.partner_ids if mine != peer)
    workshop.status = WorkshopStatus.ENDED


def load_demo() -> Workshop:
    password_hash = hash_password(content.DEMO_PASSWORD)
    sections = {spec["short_name"]: render_sections([SectionInput(**s) for s in spec["plan"]["sections"]]) for spec in content.PARTNERS}
    with write():
        facilitator = _user(content.FACILITATOR["name"], content.FACILITATOR["email"], password_hash, is_admin=True)
        partners = {spec["short_name"]: _partner(spec, password_hash, sections[spec["short_name"]]) for spec in content.PARTNERS}
        db.session.flush()
        workshop = _workshop(content.WORKSHOP, facilitator, partners, content.RESOURCES)
        past = _workshop(content.PAST_WORKSHOP, facilitator, partners)
        db.session.flush()
        _has_happened(past)
    # The Lead Partner's general feedback closing the past session (idempotent per client_id).
    for n, point in enumerate(content.GENERAL_FEEDBACK):
        history.post_general(facilitator, past.id, GeneralFeedbackInput(
            client_id=str(uuid.uuid5(GENERAL_NAMESPACE, str(n))), section_key=point["section_key"], kind="suggestion",
            criterion=point["criterion"], body=point["body"]))
    return workshop


def sign_in_details() -> list[tuple[str, str]]:
    """(who, email) pairs to print: the facilitator and one member per partner."""
    rows = [("Facilitator", content.FACILITATOR["email"])]
    rows += [(f"{spec['short_name']} member", spec["members"][0]["email"]) for spec in content.PARTNERS]
    return rows
