"""Accounts, sign-in sessions and failed sign-in attempts."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.models.base import UTCDateTime, utcnow


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(8), default="en")
    # An IANA name (e.g. "Europe/Warsaw"); None follows the service's DEFAULT_TIME_ZONE.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    partners: Mapped[list["Partner"]] = relationship(  # noqa: F821
        secondary="partner_members", back_populates="members", order_by="Partner.id"
    )

    # The sign-in session this request authenticated with (set by the user loader);
    # Flask-Login stores its token, not the user id, so a revoked session stays revoked.
    auth_token = None

    def get_id(self) -> str | None:
        return self.auth_token

    # UserMixin compares users by get_id(), which is the sign-in token here (None for
    # users loaded outside a sign-in): keep the ORM's identity semantics instead.
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class AuthSession(db.Model):
    """One sign-in; revoking it signs that browser out everywhere, sockets included."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Last use, recorded at most once a minute (services/auth.py): the idle timeout's clock.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<AuthSession {self.id} user={self.user_id} revoked={self.revoked_at is not None}>"


class LoginFailure(db.Model):
    """A failed sign-in, counted per account and per address for throttling."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_email_at", "email", "at"), Index("ix_login_failures_address_at", "address", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<LoginFailure {self.email} from {self.address} at {self.at:%H:%M:%S}>"
