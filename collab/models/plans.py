"""Action Plans and their immutable numbered versions of ordered sections."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.models.base import UTCDateTime, utcnow


class Plan(db.Model):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    latest_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    partner: Mapped["Partner"] = relationship(back_populates="plans")  # noqa: F821
    versions: Mapped[list["PlanVersion"]] = relationship(
        back_populates="plan", order_by="PlanVersion.number", cascade="all, delete-orphan"
    )
    adoption_steps: Mapped[list["AdoptionStep"]] = relationship(back_populates="plan", cascade="all, delete-orphan")  # noqa: F821

    def __repr__(self) -> str:
        return f"<Plan {self.id} partner={self.partner_id} v{self.latest_version} {self.title!r}>"


class PlanVersion(db.Model):
    """A snapshot: never updated once written; feedback points at it."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="versions")
    sections: Mapped[list["PlanSection"]] = relationship(
        back_populates="version", order_by="PlanSection.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<PlanVersion plan={self.plan_id} v{self.number}>"


class PlanSection(db.Model):
    __tablename__ = "plan_sections"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    # Rendered once when the version is saved (services/markdown.py): pages and the quote
    # check never run Markdown per view or per feedback item.
    body_html: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int]

    version: Mapped[PlanVersion] = relationship(back_populates="sections")

    def __repr__(self) -> str:
        return f"<PlanSection {self.key} of version {self.version_id}>"
