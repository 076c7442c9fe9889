"""Workshops, their facilitators and partners, and the append-only event log."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.models.base import UTCDateTime, utcnow

workshop_partners = Table(
    "workshop_partners",
    db.metadata,
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("partner_id", ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True, index=True),
)

workshop_facilitators = Table(
    "workshop_facilitators",
    db.metadata,
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


# The seed workshop gave each partner at most 10 minutes to present its plan.
DEFAULT_PRESENTATION_MINUTES = 10


class WorkshopStatus(StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"  # from the first round opened
    ENDED = "ended"  # set by a facilitator; no more rounds


class Workshop(db.Model):
    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")  # rendered once, when written
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default=WorkshopStatus.SCHEDULED)
    rubric: Mapped[list[dict]] = mapped_column(JSON)
    # The presenter's time limit a presentation starts with, unless a facilitator gives another.
    presentation_minutes: Mapped[int] = mapped_column(default=DEFAULT_PRESENTATION_MINUTES)
    # Highest seq handed out; bumped with UPDATE ... RETURNING so that concurrent
    # writers (several workers on PostgreSQL) get distinct, gap-free numbers.
    last_seq: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    partners: Mapped[list["Partner"]] = relationship(secondary=workshop_partners, order_by="Partner.id")  # noqa: F821
    facilitators: Mapped[list["User"]] = relationship(secondary=workshop_facilitators, order_by="User.name")  # noqa: F821
    rounds: Mapped[list["Round"]] = relationship(back_populates="workshop", order_by="Round.id")  # noqa: F821
    resources: Mapped[list["WorkshopResource"]] = relationship(back_populates="workshop", order_by="WorkshopResource.id",
                                                               cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Workshop {self.id} {self.title!r} {self.status}>"


class ResourceKind(StrEnum):
    RECORDING = "recording"
    DOCUMENT = "document"
    VIDEO = "video"


class WorkshopResource(db.Model):
    """A link the facilitators keep with the workshop: a recording, a document, a video."""

    __tablename__ = "workshop_resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2000))
    kind: Mapped[str | None] = mapped_column(String(16))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    workshop: Mapped[Workshop] = relationship(back_populates="resources")

    def __repr__(self) -> str:
        return f"<WorkshopResource {self.id} {self.title!r}>"


class WorkshopEvent(db.Model):
    """One entry of a workshop's log. `audience`: the partners whose members may see it, besides
    the facilitators; null means everyone in the workshop (see services/publish.Audience)."""

    __tablename__ = "workshop_events"
    __table_args__ = (UniqueConstraint("workshop_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(40))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"))
    audience: Mapped[list[int] | None] = mapped_column(JSON)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    data: Mapped[dict] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<WorkshopEvent w{self.workshop_id} #{self.seq} {self.type}>"
