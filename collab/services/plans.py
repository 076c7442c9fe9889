"""Action Plans: creating them, immutable versions with optimistic concurrency, reading."""
from __future__ import annotations

import difflib
import re

from flask_babel import gettext as _
from sqlalchemy import select, update

from collab.extensions import db
from collab.models import Partner, Plan, PlanSection, PlanVersion, User
from collab.services.access import can_read_plan, is_member, readable_plan
from collab.services.errors import Conflict, Forbidden, Invalid, NotFound
from collab.services.inputs import PlanInput, SectionInput, VersionInput, tidy_text
from collab.services.markdown import TooComplex, render_with_text
from collab.services.offload import run_blocking
from collab.services.unit_of_work import write

DEFAULT_TEMPLATE = [
    ("executive-summary", "Executive summary"),
    ("general-information", "General information"),
    ("policy-context", "Policy context"),
    ("action-1", "Action 1"),
    ("monitoring", "Monitoring"),
    ("endorsement", "Endorsement"),
]


def _check_unique_keys(sections: list[SectionInput]) -> None:
    seen: set[str] = set()
    for index, section in enumerate(sections):
        if section.key in seen:
            raise Invalid(_("Section keys must be unique."), fields={f"sections.{index}.key": _("Duplicate section key.")})
        seen.add(section.key)


def _require_writer(actor: User, partner_id: int) -> None:
    if not (actor.is_admin or is_member(actor, partner_id)):
        raise Forbidden(_("Only the partner's members may edit its plan."))


def _rendered_all(bodies: list[str]) -> list[tuple[str, str]]:
    result = []
    for index, body in enumerate(bodies):
        try:
            result.append(render_with_text(body))
        except TooComplex as exc:
            raise TooComplex(index) from exc
    return result


def render_sections(sections: list[SectionInput]) -> list[PlanSection]:
    """The sections with their Markdown rendered, in the thread pool (a version may hold
    megabytes of text): call it before the unit of work begins."""
    try:
        rendered = run_blocking(_rendered_all, [s.body for s in sections])
    except TooComplex as exc:
        raise Invalid(_("A section is too complex to show."),
                      fields={f"sections.{exc.args[0]}.body": _("Nested too deeply or too long once formatted; simplify its formatting.")}) from None
    return [PlanSection(key=s.key, title=s.title, body=s.body, body_html=html, text=text, position=i)
            for i, (s, (html, text)) in enumerate(zip(sections, rendered))]


def _add_version(plan: Plan, number: int, sections: list[PlanSection], note: str, actor: User) -> PlanVersion:
    version = PlanVersion(plan=plan, number=number, note=note, created_by_id=actor.id)
    version.sections = sections
    db.session.add(version)
    return version


def _may_create(actor: User, form: PlanInput) -> None:
    if db.session.get(Partner, form.partner_id) is None:
        raise Invalid(_("No such partner."), fields={"partner_id": _("No such partner.")})
    _require_writer(actor, form.partner_id)


def create_plan(actor: User, form: PlanInput) -> tuple[Plan, PlanVersion]:
    _check_unique_keys(form.sections)
    _may_create(actor, form)  # before the rendering work, and again in the unit of work
    sections = render_sections(form.sections)
    with write():
        _may_create(actor, form)
        plan = Plan(partner_id=form.partner_id, title=form.title, latest_version=1)
        db.session.add(plan)
        version = _add_version(plan, 1, sections, _("First version"), actor)
    return plan, version


def add_version(actor: User, plan_id: int, form: VersionInput) -> tuple[Plan, PlanVersion]:
    """Save a new version on top of `base_version`; if someone saved first, Conflict."""
    _check_unique_keys(form.sections)
    _require_writer(actor, readable_plan(actor, plan_id).partner_id)  # before the rendering work, and again below
    sections = render_sections(form.sections)
    number = form.base_version + 1
    with write():
        plan = readable_plan(actor, plan_id)
        _require_writer(actor, plan.partner_id)
        # Compare-and-set on latest_version: of two saves from the same base, one wins.
        won = db.session.execute(
            update(Plan).where(Plan.id == plan.id, Plan.latest_version == form.base_version).values(latest_version=number)
        ).rowcount
        if not won:
            latest = db.session.scalar(select(Plan.latest_version).where(Plan.id == plan.id))
            raise Conflict(
                _("This plan has changed since version %(base)s: the latest is version %(latest)s.", base=form.base_version, latest=latest),
                latest_version=latest,
            )
        db.session.refresh(plan)
        version = _add_version(plan, number, sections, form.note, actor)
    return plan, version


def get_version(plan: Plan, number: int | None) -> PlanVersion:
    number = number or plan.latest_version
    version = db.session.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == number))
    if version is None:
        raise NotFound(_("This plan has no version %(number)s.", number=number))
    return version


def get_plan(actor: User, plan_id: int, number: int | None = None) -> tuple[Plan, PlanVersion]:
    plan = readable_plan(actor, plan_id)
    return plan, get_version(plan, number)


def plans_for(actor: User) -> list[Plan]:
    """Every plan the user may read, their own partner's first."""
    plans = [p for p in db.session.scalars(select(Plan).order_by(Plan.id)) if can_read_plan(actor, p)]
    mine = {p.id for p in actor.partners}
    return sorted(plans, key=lambda p: (p.partner_id not in mine, p.partner.short_name, p.id))


CONTEXT_WORDS = 24  # words and the spaces between them: about a dozen words


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The words of `new` against `old` as (op, text) runs, op one of same/removed/added, so a
    reader sees what changed inside a long section (whitespace is kept with its words)."""
    a, b = re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new)
    runs: list[tuple[str, str]] = []
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            # Long unchanged stretches shrink to a few words of context on each side of a change.
            words = a[i1:i2]
            before = words[:CONTEXT_WORDS] if n > 0 else []
            after = words[-CONTEXT_WORDS:] if n < len(opcodes) - 1 else []
            if len(words) > 2 * CONTEXT_WORDS + 1:
                runs.append(("same", "".join(before) + "… " + "".join(after)))
            else:
                runs.append(("same", "".join(words)))
            continue
        if i2 > i1:
            runs.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("added", "".join(b[j1:j2])))
    return runs


def compare(old: PlanVersion, new: PlanVersion) -> list[dict]:
    """Sections of two versions side by side, by key, each marked same/changed/added/removed;
    changed ones carry their word-level difference."""
    before = {s.key: s for s in old.sections}
    after = {s.key: s for s in new.sections}
    keys = [s.key for s in new.sections] + [k for k in before if k not in after]
    rows = []
    for key in keys:
        a, b = before.get(key), after.get(key)
        if a is None:
            state = "added"
        elif b is None:
            state = "removed"
        elif (a.title, tidy_text(a.body)) == (b.title, tidy_text(b.body)):  # versions stored before bodies were tidied
            state = "same"
        else:
            state = "changed"
        words = word_diff(tidy_text(a.body), tidy_text(b.body)) if state == "changed" else None
        rows.append({"key": key, "old": a, "new": b, "state": state, "words": words})
    return rows


def can_edit(actor: User, plan: Plan) -> bool:
    return actor.is_admin or is_member(actor, plan.partner_id)
