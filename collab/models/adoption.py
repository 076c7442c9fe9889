"""A plan's way to formal adoption: drafted, sent to the policy-responsible body, adopted."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.models.base import UTCDateTime, utcnow

# In the order they happen; a step is recorded once it has happened.
ADOPTION_STAGES = ("drafted", "sent", "adopted")


class AdoptionStep(db.Model):
    __tablename__ = "adoption_steps"
    __table_args__ = (UniqueConstraint("plan_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(String(300))
    happened_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(1000), default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    plan: Mapped["Plan"] = relationship(back_populates="adoption_steps")  # noqa: F821
    updated_by: Mapped["User | None"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<AdoptionStep plan={self.plan_id} {self.stage} {self.happened_on}>"
