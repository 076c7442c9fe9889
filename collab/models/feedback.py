"""Feedback items pinned to (plan, version, section), their replies, and every change made to them."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.models.base import UTCDateTime, utcnow


# The section key of an item about the plan as a whole (a facilitator's general remark such
# as "finalisation is a long process"): never a section of a version, so it fits every plan.
WHOLE_PLAN = "whole-plan"


class FeedbackStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    ADDRESSED = "addressed"
    DEFERRED = "deferred"
    WITHDRAWN = "withdrawn"  # by its author; no longer counted


class FeedbackItem(db.Model):
    __tablename__ = "feedback_items"
    __table_args__ = (
        UniqueConstraint("author_id", "client_id"),
        Index("ix_feedback_plan_section", "plan_id", "section_key"),
        Index("ix_feedback_plan_status", "plan_id", "status"),
        Index("ix_feedback_workshop", "workshop_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    plan_version: Mapped[int]
    section_key: Mapped[str] = mapped_column(String(64))
    quote: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(16))  # None on a reply that chose no kind
    criterion: Mapped[str | None] = mapped_column(String(64))
    rating: Mapped[int | None]
    body: Mapped[str] = mapped_column(Text)
    # Sanitised HTML of `body`, rendered once when written: lists of thousands stay fast.
    body_html: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    author_partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id", ondelete="SET NULL"))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"), index=True)
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="SET NULL"))
    # The plenary presentation the item was given during (room null, workshop set); a
    # facilitator's general feedback has neither room nor presentation.
    presentation_id: Mapped[int | None] = mapped_column(ForeignKey("presentations.id", ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_items.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=FeedbackStatus.OPEN)
    response: Mapped[str | None] = mapped_column(Text)
    addressed_in_version: Mapped[int | None]
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    seq: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped["User | None"] = relationship(foreign_keys=[author_id])  # noqa: F821
    responder: Mapped["User | None"] = relationship(foreign_keys=[responded_by_id])  # noqa: F821
    replies: Mapped[list["FeedbackItem"]] = relationship(order_by="FeedbackItem.id")

    def __repr__(self) -> str:
        return f"<FeedbackItem {self.id} plan={self.plan_id} v{self.plan_version} {self.section_key} {self.kind} {self.status}>"


class FeedbackChange(db.Model):
    """Who changed what on an item, and when: the item's own history, inside or outside a workshop."""

    __tablename__ = "feedback_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback_items.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(24))
    changes: Mapped[dict] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<FeedbackChange {self.action} on {self.feedback_id} by {self.actor_id}>"
