"""A workshop's resources: links to recordings, documents and videos, kept by its facilitators
and shown on the workshop page and in its rooms."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from collab.extensions import db
from collab.models import User, Workshop, WorkshopResource
from collab.services import shapes
from collab.services.access import facilitated_workshop, participant_workshop
from collab.services.errors import Conflict, NotFound
from collab.services.inputs import ResourceInput
from collab.services.unit_of_work import write

# Enough for a workshop's day; a bound keeps every page that lists them small.
MAX_RESOURCES = 100


def resource_shape(resource: WorkshopResource) -> dict:
    return {"id": resource.id, "workshop_id": resource.workshop_id, "title": resource.title, "url": resource.url,
            "kind": resource.kind, "created_at": shapes.iso(resource.created_at)}


def of_workshop(workshop: Workshop) -> list[WorkshopResource]:
    return list(db.session.scalars(
        select(WorkshopResource).where(WorkshopResource.workshop_id == workshop.id).order_by(WorkshopResource.id)
    ))


def list_resources(actor: User, workshop_id: int) -> list[WorkshopResource]:
    return of_workshop(participant_workshop(actor, workshop_id))


def add_resource(actor: User, workshop_id: int, form: ResourceInput) -> WorkshopResource:
    with write():
        workshop = facilitated_workshop(actor, workshop_id)
        count = db.session.scalar(select(func.count()).select_from(WorkshopResource).where(WorkshopResource.workshop_id == workshop.id))
        if count >= MAX_RESOURCES:
            raise Conflict(_("A workshop keeps at most %(n)s resources; remove one first.", n=MAX_RESOURCES))
        resource = WorkshopResource(workshop_id=workshop.id, title=form.title, url=form.url, kind=form.kind, added_by_id=actor.id)
        db.session.add(resource)
        db.session.flush()
    return resource


def remove_resource(actor: User, workshop_id: int, resource_id: int) -> None:
    with write():
        workshop = facilitated_workshop(actor, workshop_id)
        resource = db.session.get(WorkshopResource, resource_id)
        if resource is None or resource.workshop_id != workshop.id:
            raise NotFound(_("No such resource in this workshop."))
        db.session.delete(resource)
