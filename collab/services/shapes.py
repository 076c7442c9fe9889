"""The JSON shapes of PROTOCOL.md, built from models (before commit, so no lazy loads follow)."""
from __future__ import annotations

from datetime import datetime

from collab.models import FeedbackItem, Partner, Plan, PlanVersion, Presentation, Room, Round, User, Workshop, WorkshopEvent


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def user_lite(user: User) -> dict:
    return {"id": user.id, "name": user.name}


def user(user: User) -> dict:
    return {"id": user.id, "email": user.email, "name": user.name, "locale": user.locale, "is_admin": user.is_admin}


def partner(partner: Partner) -> dict:
    return {
        "id": partner.id,
        "name": partner.name,
        "short_name": partner.short_name,
        "country": partner.country,
        "organisations": list(partner.organisations),
        "members": [user_lite(m) for m in partner.members],
    }


def plan(plan: Plan, version: PlanVersion) -> dict:
    return {
        "id": plan.id,
        "partner_id": plan.partner_id,
        "title": plan.title,
        "latest_version": plan.latest_version,
        "versions": [{"number": v.number, "created_at": iso(v.created_at), "note": v.note} for v in plan.versions],
        "version": version.number,
        "sections": [
            {"key": s.key, "title": s.title, "body": s.body, "body_html": s.body_html, "position": s.position}
            for s in version.sections
        ],
    }


def room(room: Room, plan_ids: list[int]) -> dict:
    return {"id": room.id, "name": room.name, "partner_ids": room.partner_ids, "plan_ids": plan_ids}


def round_(rnd: Round, plan_ids_by_partner: dict[int, list[int]]) -> dict:
    return {
        "id": rnd.id,
        "workshop_id": rnd.workshop_id,
        "name": rnd.name,
        "status": rnd.status,
        "minutes": rnd.minutes,
        "opened_at": iso(rnd.opened_at),
        "ends_at": iso(rnd.ends_at),
        "rooms": [
            room(r, [pid for partner_id in r.partner_ids for pid in plan_ids_by_partner.get(partner_id, [])])
            for r in rnd.rooms
        ],
    }


def workshop(ws: Workshop, rounds: list[dict]) -> dict:
    return {
        "id": ws.id,
        "title": ws.title,
        "description": ws.description,
        "starts_at": iso(ws.starts_at),
        "status": ws.status,
        "presentation_minutes": ws.presentation_minutes,
        "rubric": [dict(item) for item in ws.rubric],
        "partners": [partner(p) for p in ws.partners],
        "facilitators": [user_lite(u) for u in ws.facilitators],
        "rounds": rounds,
    }


def event(ev: WorkshopEvent) -> dict:
    return {
        "seq": ev.seq,
        "type": ev.type,
        "workshop_id": ev.workshop_id,
        "room_id": ev.room_id,
        "at": iso(ev.at),
        "data": ev.data,
    }


def feedback(item: FeedbackItem, replies: list[FeedbackItem] | None = None) -> dict:
    return {
        "id": item.id, "client_id": item.client_id, "plan_id": item.plan_id, "plan_version": item.plan_version,
        "section_key": item.section_key, "quote": item.quote, "kind": item.kind, "criterion": item.criterion,
        "rating": item.rating, "body": item.body, "body_html": item.body_html,
        "author": user_lite(item.author) if item.author else None, "author_partner_id": item.author_partner_id,
        "room_id": item.room_id, "workshop_id": item.workshop_id, "presentation_id": item.presentation_id, "parent_id": item.parent_id, "status": item.status,
        "response": item.response, "addressed_in_version": item.addressed_in_version,
        "responded_by": user_lite(item.responder) if item.responder else None, "responded_at": iso(item.responded_at),
        "created_at": iso(item.created_at), "updated_at": iso(item.updated_at), "seq": item.seq,
        "replies": [feedback(r, []) for r in (replies if replies is not None else item.replies)],
    }


def presentation(p: Presentation) -> dict:
    return {"id": p.id, "workshop_id": p.workshop_id, "room_id": p.room_id, "plan_id": p.plan_id, "plan_version": p.plan_version,
            "presenter_partner_id": p.presenter_partner_id, "section_key": p.section_key, "started_at": iso(p.started_at),
            "limit_minutes": p.limit_minutes}
