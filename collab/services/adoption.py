"""The adoption tracker: a plan's steps to formal adoption, kept by its partner's members."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from collab.models import ADOPTION_STAGES, AdoptionStep, Plan, User
from collab.models.base import utcnow
from collab.services.access import readable_plan
from collab.services.errors import Forbidden, Invalid
from collab.services.inputs import AdoptionInput, AdoptionStepInput
from collab.services.plans import can_edit
from collab.services.shapes import iso, user_lite
from collab.services.unit_of_work import write

STAGE_LABELS = {"drafted": _l("Drafted"), "sent": _l("Sent to the policy-responsible body"), "adopted": _l("Adopted")}


def _latest_possible_day() -> date:
    """Tomorrow in UTC: east of Greenwich the day may already have begun."""
    return (datetime.now(timezone.utc) + timedelta(days=1)).date()


def check_order(form: AdoptionInput) -> None:
    """Steps come in order, none dated before the one before it, none still to come:
    one 422 naming every field at fault."""
    fields: dict[str, str] = {}
    steps = [getattr(form, stage) for stage in ADOPTION_STAGES]
    last = max((n for n, step in enumerate(steps) if step is not None), default=-1)
    previous: AdoptionStepInput | None = None
    for n, (stage, step) in enumerate(zip(ADOPTION_STAGES, steps)):
        if step is None:
            if n < last:
                fields[stage] = _("Fill in this step too: a later step is filled in.")
            continue
        if step.date > _latest_possible_day():
            fields[f"{stage}.date"] = _("This date is still to come: record a step once it has happened "
                                        "(an expected date can go in the note).")
        elif previous is not None and step.date < previous.date:
            fields[f"{stage}.date"] = _("Not before the step before it (%(date)s).", date=format_date(previous.date, "medium"))
        previous = step
    if fields:
        raise Invalid(_("The adoption steps are not valid."), fields=fields)


def update(actor: User, plan_id: int, form: AdoptionInput) -> Plan:
    """Replace the plan's tracker by `form` (owners' members and admins)."""
    check_order(form)
    with write():
        plan = readable_plan(actor, plan_id)
        if not can_edit(actor, plan):
            raise Forbidden(_("Only the partner's members may update its adoption steps."))
        recorded = {step.stage: step for step in plan.adoption_steps}
        for stage in ADOPTION_STAGES:
            given, step = getattr(form, stage), recorded.get(stage)
            if given is None:
                if step is not None:
                    plan.adoption_steps.remove(step)
                continue
            values = {"body": given.body, "happened_on": given.date, "note": given.note.strip(), "link": given.link}
            if step is None:
                step = AdoptionStep(stage=stage)
                plan.adoption_steps.append(step)
            elif all(getattr(step, name) == value for name, value in values.items()):
                continue
            for name, value in values.items():
                setattr(step, name, value)
            step.updated_by_id = actor.id
            step.updated_at = utcnow()
    return plan


def current_stage(plan: Plan) -> str | None:
    """The furthest step reached, or None before the draft is recorded."""
    reached = {step.stage for step in plan.adoption_steps}
    return next((stage for stage in reversed(ADOPTION_STAGES) if stage in reached), None)


def stepper(plan: Plan) -> list[dict]:
    """Every stage in order, with its recorded step (or None), for the pages."""
    recorded = {step.stage: step for step in plan.adoption_steps}
    current = current_stage(plan)
    return [{"stage": stage, "label": STAGE_LABELS[stage], "step": recorded.get(stage), "current": stage == current}
            for stage in ADOPTION_STAGES]


def _step_shape(step: AdoptionStep) -> dict:
    return {"body": step.body, "date": step.happened_on.isoformat(), "note": step.note, "link": step.link,
            "updated_at": iso(step.updated_at), "updated_by": user_lite(step.updated_by) if step.updated_by else None}


def shape(plan: Plan) -> dict:
    """The tracker as GET returns it: PUT takes the same keys back."""
    recorded = {step.stage: step for step in plan.adoption_steps}
    return {"plan_id": plan.id, "current": current_stage(plan),
            **{stage: _step_shape(recorded[stage]) if stage in recorded else None for stage in ADOPTION_STAGES}}
