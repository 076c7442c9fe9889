"""Partners: delegations of one or more organisations, with member users."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.models.base import UTCDateTime, utcnow

partner_members = Table(
    "partner_members",
    db.metadata,
    Column("partner_id", ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Partner(db.Model):
    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(40), unique=True)
    country: Mapped[str] = mapped_column(String(2))
    organisations: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    members: Mapped[list["User"]] = relationship(  # noqa: F821
        secondary=partner_members, back_populates="partners", order_by="User.name"
    )
    plans: Mapped[list["Plan"]] = relationship(back_populates="partner", order_by="Plan.id")  # noqa: F821

    def __repr__(self) -> str:
        return f"<Partner {self.id} {self.short_name} ({self.country})>"
