"""After the workshop: the feedback history of a plan, its readiness, general feedback, exports."""
from __future__ import annotations

import uuid
from collections.abc import Iterator

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from collab.extensions import db
from collab.models import WHOLE_PLAN, FeedbackChange, FeedbackItem, FeedbackStatus, Plan, PlanSection, PlanVersion, User, Workshop, workshop_partners
from collab.models.base import utcnow
from collab.services import feedback, log, shapes
from collab.services.access import can_read_plan, facilitated_workshop, participant_workshop, readable_plan
from collab.services.errors import Invalid
from collab.services.inputs import FeedbackEdit, FeedbackFilters, FeedbackPatch, GeneralFeedbackInput, ResponseInput, parse, tidy_text
from collab.services.unit_of_work import UnitOfWork, end_read, pause, write
from collab.services.workshops import default_rubric

# A batch is read, shaped and written out without a pause: 1,000 items held the event loop, and
# every live room with it, for 130-430 ms.
EXPORT_BATCH = 200
GENERAL_NAMESPACE = uuid.UUID("6f1d2d0e-6c55-4c57-9b0a-4a2b0a3f7c11")
PLENARY = "plenary"  # the room filter's value for items given in a plenary


def filters_from(args) -> FeedbackFilters:
    """Query-string filters (strings) checked into typed filters; blanks mean 'any'."""
    return parse(FeedbackFilters, {k: v for k, v in dict(args).items() if v not in ("", None)})


def _where(plan_ids: list[int], f: FeedbackFilters):
    conditions = [FeedbackItem.plan_id.in_(plan_ids)]
    for column, value in (
        (FeedbackItem.section_key, f.section), (FeedbackItem.criterion, f.criterion), (FeedbackItem.kind, f.kind),
        (FeedbackItem.status, f.status), (FeedbackItem.workshop_id, f.workshop_id), (FeedbackItem.author_partner_id, f.author_partner_id),
    ):
        if value is not None:
            conditions.append(column == value)
    if f.room_id == PLENARY:
        conditions.append(feedback.given_in_plenary())
    elif f.room_id is not None:
        conditions.append(FeedbackItem.room_id == f.room_id)
    if f.version is not None:
        # Made on this version, or made earlier and still open: carried over until answered.
        conditions.append(or_(FeedbackItem.plan_version == f.version,
                              and_(FeedbackItem.plan_version < f.version, FeedbackItem.status == FeedbackStatus.OPEN)))
    return and_(*conditions)


def _sections(plan_ids: list[int]) -> dict[tuple[int, int, str], tuple[str, str]]:
    rows = db.session.execute(
        select(PlanVersion.plan_id, PlanVersion.number, PlanSection.key, PlanSection.title, PlanSection.body)
        .join(PlanSection, PlanSection.version_id == PlanVersion.id).where(PlanVersion.plan_id.in_(plan_ids))
    )
    # Tidied, so that a version saved before bodies were tidied on input does not look changed.
    return {(plan_id, number, key): (title, tidy_text(body)) for plan_id, number, key, title, body in rows}


def _with_context(items: list[FeedbackItem], plans_by_id: dict[int, Plan], sections, version: int | None) -> list[dict]:
    """Shapes plus where each item stands now: carried over, and whether its section changed since."""
    parent_ids = [item.id for item in items]
    replies: dict[int, list[FeedbackItem]] = {}
    if parent_ids:
        for reply in db.session.scalars(
            select(FeedbackItem).where(FeedbackItem.parent_id.in_(parent_ids)).options(selectinload(FeedbackItem.author)).order_by(FeedbackItem.id)
        ):
            replies.setdefault(reply.parent_id, []).append(reply)
    result = []
    for item in items:
        latest = plans_by_id[item.plan_id].latest_version
        then = sections.get((item.plan_id, item.plan_version, item.section_key))
        now = sections.get((item.plan_id, latest, item.section_key))
        data = shapes.feedback(item, replies.get(item.id, []))
        data["section_title"] = _("Whole plan") if item.section_key == WHOLE_PLAN else (then or now or (item.section_key, ""))[0]
        data["section_changed_since"] = then != now
        data["carried_over"] = version is not None and item.plan_version < version
        result.append(data)
    return result


def _page(plan_ids: list[int], plans_by_id: dict[int, Plan], f: FeedbackFilters) -> dict:
    query = (
        select(FeedbackItem)
        .where(_where(plan_ids, f), FeedbackItem.parent_id.is_(None), FeedbackItem.id > f.after_id)
        .options(selectinload(FeedbackItem.author), selectinload(FeedbackItem.responder))
        .order_by(FeedbackItem.id).limit(f.limit + 1)
    )
    items = list(db.session.scalars(query))
    more = len(items) > f.limit
    items = items[: f.limit]
    shaped = _with_context(items, plans_by_id, _sections(plan_ids), f.version)
    return {"items": shaped, "next": items[-1].id if more else None}


def plan_feedback(actor: User, plan_id: int, f: FeedbackFilters) -> dict:
    plan = readable_plan(actor, plan_id)
    return _page([plan.id], {plan.id: plan}, f)


def _workshop_plans(actor: User, workshop: Workshop) -> dict[int, Plan]:
    partner_ids = [p.id for p in workshop.partners]
    plans = db.session.scalars(select(Plan).where(Plan.partner_id.in_(partner_ids)).order_by(Plan.id))
    return {plan.id: plan for plan in plans if can_read_plan(actor, plan)}


def workshop_plans(actor: User, workshop_id: int) -> tuple[Workshop, dict[int, Plan]]:
    workshop = participant_workshop(actor, workshop_id)
    return workshop, _workshop_plans(actor, workshop)


def workshops_of(plan: Plan) -> list[Workshop]:
    """The workshops the plan's partner takes part in."""
    return list(db.session.scalars(
        select(Workshop).join(workshop_partners, workshop_partners.c.workshop_id == Workshop.id)
        .where(workshop_partners.c.partner_id == plan.partner_id).order_by(Workshop.id)
    ))


def rubric_of(workshops: list[Workshop]) -> list[dict]:
    """The criteria of these workshops together (the default rubric if there are none)."""
    seen: dict[str, str] = {}
    for workshop in workshops:
        for item in workshop.rubric:
            seen.setdefault(item["key"], item["label"])
    return [{"key": k, "label": v} for k, v in seen.items()] or default_rubric()


def patch(actor: User, feedback_id: int, form: FeedbackPatch) -> FeedbackItem:
    """PATCH /feedback/{id}: the author's edit (body) and/or the owner's answer (status...).

    Both parts are one unit of work: if either is refused, neither is kept or announced.
    """
    if form.status is None and form.body is None:
        raise Invalid(_("Nothing to change."), fields={"status": _("Give a status or a body.")})
    with write():
        result = None
        if form.body is not None:
            result = feedback.edit(actor, FeedbackEdit(feedback_id=feedback_id, body=form.body))
        if form.status is not None:
            result = feedback.respond(actor, ResponseInput(feedback_id=feedback_id, status=form.status, response=form.response,
                                                           addressed_in_version=form.addressed_in_version))
    return result


def changes_of(actor: User, feedback_id: int) -> list[dict]:
    item, _plan = feedback.readable_item(actor, feedback_id)
    rows = db.session.execute(
        select(FeedbackChange, User).outerjoin(User, User.id == FeedbackChange.actor_id)
        .where(FeedbackChange.feedback_id == item.id).order_by(FeedbackChange.id)
    )
    return [{"action": c.action, "changes": c.changes, "at": shapes.iso(c.at), "by": shapes.user_lite(u) if u else None} for c, u in rows]


# --- readiness -------------------------------------------------------------------

def readiness(actor: User, plan_id: int) -> list[dict]:
    """Per version: counts by criterion x status and the average rating per criterion."""
    plan = readable_plan(actor, plan_id)
    rows = db.session.execute(
        select(FeedbackItem.plan_version, FeedbackItem.criterion, FeedbackItem.status, func.count(), func.avg(FeedbackItem.rating))
        .where(FeedbackItem.plan_id == plan.id, FeedbackItem.parent_id.is_(None), FeedbackItem.status != FeedbackStatus.WITHDRAWN)
        .group_by(FeedbackItem.plan_version, FeedbackItem.criterion, FeedbackItem.status)
    )
    ratings = dict(
        ((v, c), (avg, n)) for v, c, avg, n in db.session.execute(
            select(FeedbackItem.plan_version, FeedbackItem.criterion, func.avg(FeedbackItem.rating), func.count(FeedbackItem.rating))
            .where(FeedbackItem.plan_id == plan.id, FeedbackItem.parent_id.is_(None), FeedbackItem.status != FeedbackStatus.WITHDRAWN)
            .group_by(FeedbackItem.plan_version, FeedbackItem.criterion)
        )
    )
    versions: dict[int, dict[str, dict]] = {}
    for version, criterion, status, count, _avg in rows:
        per = versions.setdefault(version, {}).setdefault(criterion or "", {"statuses": {}, "total": 0})
        per["statuses"][status] = count
        per["total"] += count
    result = []
    for version in sorted(versions):
        criteria = []
        for criterion, data in sorted(versions[version].items()):
            avg, rated = ratings.get((version, criterion or None), (None, 0))
            criteria.append({"criterion": criterion or None, "total": data["total"], "statuses": data["statuses"],
                             "average_rating": round(float(avg), 2) if avg is not None else None, "rated": rated})
        result.append({"version": version, "criteria": criteria})
    return result


# --- general feedback ---------------------------------------------------------------

def _latest_sections(plan_ids: list[int]) -> list[tuple[int, str, str]]:
    """(plan id, key, title) of the sections of these plans' latest versions, in plan order."""
    return list(db.session.execute(
        select(Plan.id, PlanSection.key, PlanSection.title).join(PlanVersion, PlanSection.version_id == PlanVersion.id)
        .join(Plan, and_(Plan.id == PlanVersion.plan_id, Plan.latest_version == PlanVersion.number))
        .where(Plan.id.in_(plan_ids)).order_by(Plan.id, PlanSection.position)
    ).tuples())


def section_titles(plan_ids: list[int]) -> dict[int, dict[str, str]]:
    """Per plan, the title of each section key (latest version), the whole plan included."""
    titles: dict[int, dict[str, str]] = {plan_id: {WHOLE_PLAN: _("Whole plan")} for plan_id in plan_ids}
    for plan_id, key, title in _latest_sections(plan_ids):
        titles[plan_id][key] = title
    return titles


def general_targets(actor: User, workshop: Workshop) -> list[dict]:
    """What general feedback can be pinned to: the whole plan, then every section key that the
    latest versions of the workshop's plans have, in plan order, with how many plans have it."""
    plans = _workshop_plans(actor, workshop)
    targets = {WHOLE_PLAN: {"key": WHOLE_PLAN, "title": _("Whole plan"), "plans": len(plans)}}
    for _plan_id, key, title in _latest_sections(list(plans)):
        targets.setdefault(key, {"key": key, "title": title, "plans": 0})["plans"] += 1
    return list(targets.values())


def post_general(actor: User, workshop_id: int, form: GeneralFeedbackInput) -> dict:
    """One facilitator remark copied to the same section (or the whole plan) of every plan in
    the workshop.

    One short unit of work per plan, with a pause between, so that a workshop with many plans
    does not hold the event loop. Each copy's client_id is derived from the request's, so a
    retry after a failure half-way completes the rest and duplicates nothing.
    """
    workshop = facilitated_workshop(actor, workshop_id)
    if form.criterion is not None and form.criterion not in {c["key"] for c in workshop.rubric}:
        raise Invalid(_("This criterion is not in the rubric."), fields={"criterion": _("Not a rubric criterion.")})
    plan_ids = list(_workshop_plans(actor, workshop))
    end_read()
    created, skipped = [], []
    for plan_id in plan_ids:
        with write() as tx:
            item = _general_item(actor, workshop.id, db.session.get(Plan, plan_id), form, tx)
            if item is None:
                skipped.append(plan_id)
            else:
                created.append(shapes.feedback(item, []))
        pause()
    return {"items": created, "skipped_plan_ids": skipped}


def _general_item(actor: User, workshop_id: int, plan: Plan, form: GeneralFeedbackInput, tx: UnitOfWork) -> FeedbackItem | None:
    """The remark's copy on one plan (the one made before, on a retry); None if the plan lacks the section."""
    version = db.session.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == plan.latest_version))
    if form.section_key != WHOLE_PLAN and form.section_key not in {s.key for s in version.sections}:
        return None
    client_id = str(uuid.uuid5(GENERAL_NAMESPACE, f"{form.client_id}:{plan.id}"))
    existing = db.session.scalar(select(FeedbackItem).where(FeedbackItem.author_id == actor.id, FeedbackItem.client_id == client_id))
    if existing is not None:
        return existing
    now = utcnow()
    item = FeedbackItem(
        client_id=client_id, plan_id=plan.id, plan_version=version.number, section_key=form.section_key, kind=form.kind,
        criterion=form.criterion, body=form.body, body_html=feedback.body_html(form.body), author_id=actor.id, workshop_id=workshop_id,
        status=FeedbackStatus.OPEN, created_at=now, updated_at=now, seq=log.next_seq(workshop_id),
    )
    item.author = actor
    db.session.add(item)
    db.session.flush()
    tx.publish(feedback.event(item, plan, "feedback_added", actor, seq=item.seq))
    db.session.add(FeedbackChange(feedback_id=item.id, actor_id=actor.id, action="created", changes={"general": True}))
    return item


# --- exports ------------------------------------------------------------------------

def export_rows(plan_ids: list[int], f: FeedbackFilters) -> Iterator[dict]:
    """Every item (replies included, after their parent), fetched in short batches.

    Each batch is its own brief transaction, so a long download never holds the database
    (SQLite's lock in particular) while the response trickles out to a slow client.
    """
    plan_titles = dict(db.session.execute(select(Plan.id, Plan.title).where(Plan.id.in_(plan_ids))).all())
    names = {}
    after = 0
    while True:
        batch = list(db.session.execute(
            select(FeedbackItem).where(_where(plan_ids, f), FeedbackItem.parent_id.is_(None), FeedbackItem.id > after)
            .order_by(FeedbackItem.id).limit(EXPORT_BATCH)
        ).scalars())
        if not batch:
            end_read()
            return
        after = batch[-1].id
        replies: dict[int, list[FeedbackItem]] = {}
        for reply in db.session.scalars(select(FeedbackItem).where(FeedbackItem.parent_id.in_([i.id for i in batch])).order_by(FeedbackItem.id)):
            replies.setdefault(reply.parent_id, []).append(reply)
        user_ids = {i.author_id for i in batch} | {r.author_id for rs in replies.values() for r in rs} | {i.responded_by_id for i in batch}
        missing = [uid for uid in user_ids if uid is not None and uid not in names]
        if missing:
            names.update(db.session.execute(select(User.id, User.name).where(User.id.in_(missing))).all())
        rows = []
        for item in batch:
            rows.append(_row(item, plan_titles, names))
            rows.extend(_row(reply, plan_titles, names) for reply in replies.get(item.id, []))
        end_read()  # the batch's transaction ends before its rows go out to the client
        yield from rows
        pause()  # a fast client must not keep the loop from the live rooms


EXPORT_FIELDS = ["id", "parent_id", "plan_id", "plan_title", "plan_version", "section_key", "kind", "criterion", "rating",
                 "status", "body", "quote", "author", "author_partner_id", "workshop_id", "room_id", "response",
                 "addressed_in_version", "responded_by", "responded_at", "created_at", "updated_at"]


def _row(item: FeedbackItem, plan_titles: dict, names: dict) -> dict:
    return {
        "id": item.id, "parent_id": item.parent_id, "plan_id": item.plan_id, "plan_title": plan_titles.get(item.plan_id, ""),
        "plan_version": item.plan_version, "section_key": item.section_key, "kind": item.kind, "criterion": item.criterion,
        "rating": item.rating, "status": item.status, "body": item.body, "body_html": item.body_html, "quote": item.quote,
        "author": names.get(item.author_id, ""), "author_partner_id": item.author_partner_id, "workshop_id": item.workshop_id,
        "room_id": item.room_id, "response": item.response, "addressed_in_version": item.addressed_in_version,
        "responded_by": names.get(item.responded_by_id, "") if item.responded_by_id else "",
        "responded_at": shapes.iso(item.responded_at), "created_at": shapes.iso(item.created_at), "updated_at": shapes.iso(item.updated_at),
    }
