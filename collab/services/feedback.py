"""Structured feedback on plan sections: posting (idempotent), editing, withdrawing, answering."""
from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import bindparam, insert, select, text
from sqlalchemy.exc import IntegrityError

from collab.extensions import db
from collab.models import (LIVE, FeedbackChange, FeedbackItem, FeedbackStatus, Plan, PlanVersion, Presentation, Room, User, Workshop,
                           WorkshopStatus)
from collab.models.base import utcnow
from collab.services import log, plans, shapes
from collab.services.access import can_read_plan, is_member, participant_workshop, partner_ids_of
from collab.services.errors import Conflict, Forbidden, Invalid, NotFound
from collab.services.group_commit import together
from collab.services.inputs import FeedbackEdit, FeedbackInput, FeedbackRef, ResponseInput
from collab.services.markdown import TooComplex, render
from collab.services.presentations import active_presentation, last_in_plenary
from collab.services.publish import Audience, Published
from collab.services.room_access import Asked, Seat, Seated, belongs_in, normalised, section_texts, still_seated
from collab.services.unit_of_work import UnitOfWork, write
from collab.services.workshops import default_rubric

# What makes two submissions with one client_id "the same item".
IDENTITY = ("plan_id", "section_key", "kind", "body", "criterion", "rating", "quote", "parent_id", "room_id")


def body_html(body: str) -> str:
    """A body is at most a few thousand characters: cmark renders it in about a millisecond."""
    try:
        return str(render(body))
    except TooComplex:
        raise Invalid(_("This text is too complex to show."), fields={"body": _("Nested too deeply; simplify its formatting.")}) from None


@dataclass(frozen=True)
class Place:
    """Where an item is given: a room (and its workshop), the plenary of a workshop (during or
    after the plan's presentation there), or nowhere in particular (the plan itself)."""

    room: Room | None = None
    workshop: Workshop | None = None
    presentation: Presentation | None = None


def _place(actor: User, form: FeedbackInput, plan: Plan) -> Place:
    """The room or plenary the item is posted in, checked from the database."""
    if form.room_id is not None:
        room = db.session.get(Room, form.room_id)
        if room is None or not belongs_in(actor, room, room.round):
            raise Forbidden(_("You are not in this room."))
        if form.workshop_id not in (None, room.round.workshop_id):
            raise Invalid(_("This room is not in this workshop."), fields={"workshop_id": _("Not the room's workshop.")})
        if plan.partner_id not in room.partner_ids:
            raise Forbidden(_("This plan is not discussed in this room."))
        if room.round.status not in LIVE:
            raise Conflict(_("This room is closed; it takes no new feedback."))
        return Place(room=room, workshop=room.round.workshop)
    if form.workshop_id is not None:
        workshop = participant_workshop(actor, form.workshop_id)
        presented = last_in_plenary(workshop.id, plan.id)
        if presented is None:
            raise Forbidden(_("This plan has not been presented in this workshop's plenary."))
        if workshop.status == WorkshopStatus.ENDED:
            raise Conflict(_("This workshop has ended; it takes no new feedback."))
        return Place(workshop=workshop, presentation=presented)
    return Place()


def _version(plan: Plan, form: FeedbackInput, place: Place, parent: FeedbackItem | None) -> PlanVersion:
    if parent is not None:
        return plans.get_version(plan, parent.plan_version)
    if form.plan_version is not None:
        try:
            return plans.get_version(plan, form.plan_version)
        except NotFound:
            raise Invalid(_("This plan has no such version."), fields={"plan_version": _("No such version.")}) from None
    presented = place.presentation or (active_presentation(place.room.id) if place.room is not None else None)
    if presented is not None and presented.plan_id == plan.id:
        return plans.get_version(plan, presented.plan_version)
    return plans.get_version(plan, None)


def _check_content(form: FeedbackInput, version: PlanVersion, rubric: list[dict]) -> None:
    section = next((s for s in version.sections if s.key == form.section_key), None)
    if section is None:
        raise Invalid(_("This plan version has no such section."), fields={"section_key": _("Unknown section.")})
    if form.quote is not None and not any(normalised(form.quote) in normalised(text) for text in (section.text, section.body)):
        raise Invalid(_("The quoted passage is not in this section."), fields={"quote": _("Not found in the section.")})
    if form.criterion is not None and form.criterion not in {c["key"] for c in rubric}:
        raise Invalid(_("This criterion is not in the rubric."), fields={"criterion": _("Not a rubric criterion.")})


def _same(item: FeedbackItem, form: FeedbackInput) -> bool:
    # A room names its workshop: a retry from a room may leave workshop_id out.
    same_workshop = form.room_id is not None or item.workshop_id == form.workshop_id
    return same_workshop and all(getattr(item, field) == getattr(form, field) for field in IDENTITY)


def _existing(actor: User, form: FeedbackInput) -> FeedbackItem | None:
    item = db.session.scalar(select(FeedbackItem).where(FeedbackItem.author_id == actor.id, FeedbackItem.client_id == form.client_id))
    if item is not None and not _same(item, form):
        raise Conflict(_("This client_id was already used for a different item."))
    return item


def event(item: FeedbackItem, plan: Plan, type_: str, actor: User, *, seq: int | None = None) -> Published | None:
    """The item's event: to its room (if any), the plan owner's members and the facilitators;
    given in the plenary, to the whole workshop, which saw the plan presented."""
    if item.workshop_id is None:
        return None
    if item.room_id is not None:
        audience = log.room_audience(item.workshop_id, item.room_id, plan.partner_id)
    elif item.presentation_id is not None:
        audience = Audience(item.workshop_id)
    else:
        audience = Audience(item.workshop_id, (plan.partner_id,))
    return log.append(item.workshop_id, type_, {"feedback": shapes.feedback(item)}, audience, room_id=item.room_id, actor=actor, seq=seq)


def _record(item: FeedbackItem, actor: User, action: str, changes: dict) -> None:
    db.session.add(FeedbackChange(feedback_id=item.id, actor_id=actor.id, action=action, changes=changes))


def submit(actor: User, form: FeedbackInput) -> FeedbackItem:
    """Store a feedback item (or return the one this client_id already made) and announce it."""
    with write() as tx:
        existing = _existing(actor, form)
        if existing is not None:
            return existing
        plan = db.session.get(Plan, form.plan_id)
        if plan is None or not can_read_plan(actor, plan):
            raise Forbidden(_("You may not give feedback on this plan."))
        parent = None
        if form.parent_id is not None:
            parent = db.session.get(FeedbackItem, form.parent_id)
            if parent is None or parent.plan_id != plan.id or parent.parent_id is not None:
                raise Invalid(_("Replies go to an item of the same plan."), fields={"parent_id": _("No such item on this plan.")})
            if parent.section_key != form.section_key:
                raise Invalid(_("A reply stays on its item's section."), fields={"section_key": _("Differs from the item replied to.")})
        elif is_member(actor, plan.partner_id):
            raise Forbidden(_("Partners reply to feedback on their own plan; they do not post new items on it."))
        elif form.kind is None:
            raise Invalid(_("Choose the kind of feedback."), fields={"kind": _("Required.")})
        place = _place(actor, form, plan)
        room, workshop = place.room, place.workshop
        version = _version(plan, form, place, parent)
        _check_content(form, version, workshop.rubric if workshop else default_rubric())
        mine = partner_ids_of(actor)
        author_partner = next((p.id for p in (workshop.partners if workshop else []) if p.id in mine), mine[0] if mine else None)
        now = utcnow()
        item = FeedbackItem(
            client_id=form.client_id, plan_id=plan.id, plan_version=version.number, section_key=form.section_key,
            quote=form.quote, kind=form.kind, criterion=form.criterion, rating=form.rating, body=form.body, body_html=body_html(form.body),
            author_id=actor.id, author_partner_id=author_partner, room_id=room.id if room else None,
            workshop_id=workshop.id if workshop else None, presentation_id=place.presentation.id if place.presentation else None,
            parent_id=parent.id if parent else None,
            status=FeedbackStatus.OPEN, created_at=now, updated_at=now,
            # The seq comes first, so the event's payload carries the seq that is stored.
            seq=log.next_seq(workshop.id) if workshop else None,
        )
        item.author = actor
        if not _inserted(item):  # the same client_id raced in from another worker
            if workshop:
                log.give_back_seq(workshop.id, item.seq)
            return _existing(actor, form)
        tx.publish(event(item, plan, "feedback_added", actor, seq=item.seq))
        _record(item, actor, "created", {"status": FeedbackStatus.OPEN})
        return item


_ITEMS, _CHANGES = FeedbackItem.__table__, FeedbackChange.__table__


def submit_in_seat(seat: Seat, form: FeedbackInput) -> dict | None:
    """The hot path: a new item on a plan of the poster's own room (of the plenary the poster
    is in), with access taken from the seat and re-checked in one query, written with the
    other items of its batch (group commit) in a few Core statements.

    None when the item is not that simple case (a reply, another room or version, a retry
    of a client_id, or anything to refuse): then `submit` decides, and explains a refusal.
    """
    plan_partner = seat.plan_partners.get(form.plan_id)
    if (not _in_place_of(seat, form) or form.parent_id is not None or form.plan_version is not None or form.kind is None
            or plan_partner is None or plan_partner in seat.partner_ids
            or (form.criterion is not None and form.criterion not in seat.rubric_keys)):
        return None
    return together(_Posted(seat, form, body_html(form.body)), _check_in_seats, _insert_in_seats)


@dataclass(frozen=True)
class _Posted:
    """An item on the hot path: from this seat, as posted, its body rendered."""

    seat: Seat
    form: FeedbackInput
    body_html: str


@dataclass(frozen=True)
class _Checked:
    """An item of the hot path that passed its checks (and what they found): what
    `_insert_in_seats` writes."""

    posted: _Posted
    found: Seated


def _check_in_seats(posted: list[_Posted]) -> list[_Checked | None]:
    """The reads of the hot path, for a batch's items at once (in the batch's transaction,
    before any of its writes)."""
    seated = still_seated([Asked(item.seat, item.form.plan_id, item.form.client_id) for item in posted])
    return [_check_in_seat(item, found) for item, found in zip(posted, seated)]


def _check_in_seat(item: _Posted, found: Seated | None) -> _Checked | None:
    if found is None or found.client_id_used:
        return None
    form = item.form
    section = section_texts(form.plan_id, found.version).get(form.section_key)
    if section is None or (form.quote is not None and not any(normalised(form.quote) in text for text in section)):
        return None
    return _Checked(item, found)


class _ClientIdRaced(Exception):
    """A client_id was used between the batch's check and its insert (the same item sent to two
    workers at once): the batch runs again item by item, and its check finds the first."""


def _insert_in_seats(checked: list[_Checked]) -> list[dict | None]:
    """The batch's items: their seqs in one statement per workshop, the items in one INSERT,
    their log events and change records in one executemany each at the commit. While a batch
    writes, PostgreSQL holds the workshop's row for every worker; this keeps that to a few
    round trips, however many items the batch has."""
    with write() as tx:
        now = utcnow()
        rows = [_row(item, seq, now) for item, seq in zip(checked, _seqs(checked))]
        ids = _insert_items(rows)
        if len(ids) < len(rows):
            if len(rows) > 1:
                raise _ClientIdRaced
            log.give_back_seq(rows[0]["workshop_id"], rows[0]["seq"])
            return [None]  # `submit` answers with the first item
        return [_announce(tx, item, row, ids[row["author_id"], row["client_id"]]) for item, row in zip(checked, rows)]


def _seqs(checked: list[_Checked]) -> list[int]:
    """The items' seqs, in order, taken for each workshop at once. Taking them locks each
    workshop's row until the commit: always in the order of the workshops' ids, so that two
    workers' batches of items in the same workshops never each hold one the other waits for."""
    following = {workshop_id: log.next_seq(workshop_id, count)
                 for workshop_id, count in sorted(Counter(item.posted.seat.workshop_id for item in checked).items())}
    seqs = []
    for item in checked:
        seqs.append(following[item.posted.seat.workshop_id])
        following[item.posted.seat.workshop_id] += 1
    return seqs


def _row(item: _Checked, seq: int, now: datetime) -> dict:
    seat, form, found = item.posted.seat, item.posted.form, item.found
    return {
        "client_id": form.client_id, "plan_id": form.plan_id, "plan_version": found.version, "section_key": form.section_key,
        "quote": form.quote, "kind": form.kind, "criterion": form.criterion, "rating": form.rating, "body": form.body,
        "body_html": item.posted.body_html, "author_id": seat.user_id, "author_partner_id": seat.author_partner_id, "room_id": seat.room_id,
        "workshop_id": seat.workshop_id, "presentation_id": found.presentation_id, "parent_id": None, "status": FeedbackStatus.OPEN,
        "response": None, "addressed_in_version": None, "responded_by_id": None, "responded_at": None,
        "seq": seq, "created_at": now, "updated_at": now,
    }


def _announce(tx: UnitOfWork, item: _Checked, row: dict, item_id: int) -> dict:
    """The stored item's event and change record (written at the commit); its shape."""
    seat = item.posted.seat
    author = SimpleNamespace(id=seat.user_id, name=seat.user_name)
    shape = shapes.feedback(SimpleNamespace(id=item_id, author=author, responder=None, **row), [])
    tx.publish(log.append(seat.workshop_id, "feedback_added", {"feedback": shape}, item.found.audience, room_id=seat.room_id,
                          actor=author, seq=row["seq"]))
    tx.execute_at_commit(_INSERT_CHANGE, {"feedback_id": item_id, "actor_id": seat.user_id, "action": "created",
                                          "changes": {"status": FeedbackStatus.OPEN}, "at": row["created_at"]})
    return shape


def _in_place_of(seat: Seat, form: FeedbackInput) -> bool:
    """The item is posted where the seat is: its room, or (no room) its workshop's plenary."""
    if form.workshop_id not in (None, seat.workshop_id) or form.room_id != seat.room_id:
        return False
    return not seat.in_plenary or form.workshop_id is not None


_INSERT_CHANGE = insert(_CHANGES)
# Rows per INSERT statement: a statement is built once for each row count up to this.
ITEMS_PER_INSERT = 64


def _insert_items(rows: list[dict]) -> dict[tuple[int, str], int]:
    """Insert the items, each unless its author used its client_id before; the new ids by
    (author, client_id)."""
    ids, connection = {}, db.session.connection()
    for start in range(0, len(rows), ITEMS_PER_INSERT):
        chunk = rows[start:start + ITEMS_PER_INSERT]
        values = {f"{name}_{number}": value for number, row in enumerate(chunk) for name, value in row.items()}
        for item_id, author_id, client_id in connection.execute(_insert_unless_taken_statement(len(chunk)), values):
            ids[author_id, client_id] = item_id
    return ids


@functools.cache
def _insert_unless_taken_statement(count: int):
    """INSERT ... VALUES (...), ... ON CONFLICT DO NOTHING RETURNING, for `count` rows; nothing
    is inserted for a row whose author already used its client_id. Written as text (the same SQL
    on SQLite and PostgreSQL) because the dialects' own `insert()` constructs opt out of
    SQLAlchemy's compiled-statement cache: compiling the insert anew cost a third of each item's
    CPU."""
    columns = [column for column in _ITEMS.columns if not column.primary_key]
    rows = ", ".join("(" + ", ".join(f":{c.name}_{number}" for c in columns) + ")" for number in range(count))
    return text(
        f"INSERT INTO {_ITEMS.name} ({', '.join(c.name for c in columns)}) VALUES {rows}"
        f" ON CONFLICT (author_id, client_id) DO NOTHING RETURNING id, author_id, client_id"
    ).bindparams(*(bindparam(f"{c.name}_{number}", type_=c.type) for number in range(count) for c in columns))


def _inserted(item: FeedbackItem) -> bool:
    """Add the item; False if its (author, client_id) is already taken."""
    try:
        with db.session.begin_nested():
            db.session.add(item)
    except IntegrityError:
        return False
    return True


def _item(feedback_id: int) -> FeedbackItem:
    item = db.session.get(FeedbackItem, feedback_id)
    if item is None:
        raise NotFound(_("No such feedback item."))
    return item


def readable_item(actor: User, feedback_id: int) -> tuple[FeedbackItem, Plan]:
    item = _item(feedback_id)
    plan = db.session.get(Plan, item.plan_id)
    if not can_read_plan(actor, plan):
        raise NotFound(_("No such feedback item."))
    return item, plan


def _author_may_change(actor: User, item: FeedbackItem) -> None:
    if item.author_id != actor.id:
        raise Forbidden(_("Only the author may change this item."))
    if item.room_id is not None:
        room = db.session.get(Room, item.room_id)
        if room.round.status not in LIVE:
            raise Conflict(_("The room is closed; the item can no longer be changed."))
    elif item.presentation_id is not None and db.session.get(Workshop, item.workshop_id).status == WorkshopStatus.ENDED:
        raise Conflict(_("The workshop has ended; the item can no longer be changed."))
    if item.status == FeedbackStatus.WITHDRAWN:
        raise Conflict(_("This item was withdrawn."))


def _publish_update(tx: UnitOfWork, item: FeedbackItem, plan: Plan, actor: User) -> FeedbackItem:
    item.updated_at = utcnow()
    tx.publish(event(item, plan, "feedback_updated", actor))
    return item


def edit(actor: User, form: FeedbackEdit) -> FeedbackItem:
    with write() as tx:
        item, plan = readable_item(actor, form.feedback_id)
        _author_may_change(actor, item)
        if form.criterion is not None and item.workshop_id is not None:
            rubric = db.session.get(Workshop, item.workshop_id).rubric
            if form.criterion not in {c["key"] for c in rubric}:
                raise Invalid(_("This criterion is not in the rubric."), fields={"criterion": _("Not a rubric criterion.")})
        changes = {}
        for field in ("body", "kind", "criterion", "rating"):
            value = getattr(form, field)
            # criterion and rating may be cleared with an explicit null; absent means unchanged.
            given = value is not None or (field in ("criterion", "rating") and field in form.model_fields_set)
            if given and value != getattr(item, field):
                changes[field] = {"from": getattr(item, field), "to": value}
                setattr(item, field, value)
        if not changes:
            return item
        item.body_html = body_html(item.body)
        _record(item, actor, "edited", changes)
        return _publish_update(tx, item, plan, actor)


def withdraw(actor: User, form: FeedbackRef) -> FeedbackItem:
    with write() as tx:
        item, plan = readable_item(actor, form.feedback_id)
        _author_may_change(actor, item)
        _record(item, actor, "withdrawn", {"status": {"from": item.status, "to": FeedbackStatus.WITHDRAWN}})
        item.status = FeedbackStatus.WITHDRAWN
        return _publish_update(tx, item, plan, actor)


def respond(actor: User, form: ResponseInput) -> FeedbackItem:
    """The plan owner's answer: accepted, declined (with a reason), addressed in version N, deferred, reopened."""
    with write() as tx:
        item, plan = readable_item(actor, form.feedback_id)
        if not is_member(actor, plan.partner_id):
            raise Forbidden(_("Only the plan's partner may answer its feedback."))
        if item.parent_id is not None:
            raise Invalid(_("Replies have no status; answer the item itself."), fields={"feedback_id": _("This is a reply.")})
        if item.status == FeedbackStatus.WITHDRAWN:
            raise Conflict(_("This item was withdrawn by its author."))
        response = (form.response or "").strip() or None
        addressed = None
        if form.status == FeedbackStatus.DECLINED and not response:
            raise Invalid(_("Say why the item is declined."), fields={"response": _("A reason is required when declining.")})
        if form.status == FeedbackStatus.ADDRESSED:
            if form.addressed_in_version is None:
                raise Invalid(_("Say which version addresses the item."), fields={"addressed_in_version": _("Required.")})
            if form.addressed_in_version <= item.plan_version or form.addressed_in_version > plan.latest_version:
                raise Invalid(
                    _("Choose a version newer than %(v)s that exists (up to %(latest)s).", v=item.plan_version, latest=plan.latest_version),
                    fields={"addressed_in_version": _("No such newer version.")},
                )
            addressed = form.addressed_in_version
        changes = {"status": {"from": item.status, "to": form.status}}
        if response != item.response:
            changes["response"] = {"from": item.response, "to": response}
        item.status, item.response, item.addressed_in_version = form.status, response, addressed
        item.responded_by_id, item.responded_at = actor.id, utcnow()
        item.responder = actor
        _record(item, actor, "answered", changes)
        return _publish_update(tx, item, plan, actor)


def given_in_plenary():
    """Items given during a plenary presentation: no room, a presentation (a facilitator's
    general feedback has neither). What the plenary shows and the history's room=plenary."""
    return FeedbackItem.room_id.is_(None) & FeedbackItem.presentation_id.is_not(None)


def for_plans_in_workshop(actor: User, plan_ids: list[int], workshop_id: int, *, plenary_only: bool = False) -> list[dict]:
    """Top-level items (with replies) on these plans from this workshop, oldest first; with
    `plenary_only`, those given in the plenary: items given in a room stay with its partners."""
    readable = [pid for pid in plan_ids if can_read_plan(actor, db.session.get(Plan, pid))]
    query = select(FeedbackItem).where(FeedbackItem.plan_id.in_(readable), FeedbackItem.workshop_id == workshop_id, FeedbackItem.parent_id.is_(None))
    if plenary_only:
        query = query.where(given_in_plenary())
    items = db.session.scalars(query.order_by(FeedbackItem.id))
    return [shapes.feedback(item) for item in items]


def counts_by_room(room_ids: list[int]) -> dict[int, dict[str, int]]:
    """Top-level items per room and criterion (`_total` for all), withdrawn ones left out."""
    counts: dict[int, dict[str, int]] = {room_id: {"_total": 0} for room_id in room_ids}
    rows = db.session.execute(
        select(FeedbackItem.room_id, FeedbackItem.criterion)
        .where(FeedbackItem.room_id.in_(room_ids), FeedbackItem.parent_id.is_(None), FeedbackItem.status != FeedbackStatus.WITHDRAWN)
    )
    for room_id, criterion in rows:
        counts[room_id]["_total"] += 1
        key = criterion or "_none"
        counts[room_id][key] = counts[room_id].get(key, 0) + 1
    return counts
