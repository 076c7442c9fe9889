"""Rounds of breakout rooms, the partners in each room, and presentations."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.models.base import UTCDateTime, utcnow


class RoundStatus(StrEnum):
    PENDING = "pending"
    OPEN = "open"
    CLOSING = "closing"  # the countdown before the rooms close
    CLOSED = "closed"


# Rooms of a round in these states are in use: partners may enter them and post feedback.
LIVE = (RoundStatus.OPEN, RoundStatus.CLOSING)


class Round(db.Model):
    """A breakout phase. Its clock is `ends_at` in the database, never a timer in a process."""

    __tablename__ = "rounds"
    __table_args__ = (Index("ix_rounds_status_ends_at", "status", "ends_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    minutes: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=RoundStatus.PENDING)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    workshop: Mapped["Workshop"] = relationship(back_populates="rounds")  # noqa: F821
    rooms: Mapped[list["Room"]] = relationship(back_populates="round", order_by="Room.position", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Round {self.id} {self.name!r} {self.status}>"


class Room(db.Model):
    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    # The room's video call as the facilitator entered it; without one, services/video.py
    # makes a link from VIDEO_CALL_BASE_URL.
    video_url: Mapped[str | None] = mapped_column(String(2000))
    # A member asked for help (one raised hand per room; set and cleared by conditional updates).
    hand_raised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hand_raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    round: Mapped[Round] = relationship(back_populates="rooms")
    seats: Mapped[list["RoomPartner"]] = relationship(back_populates="room", order_by="RoomPartner.partner_id", cascade="all, delete-orphan")
    hand_raised_by: Mapped["User | None"] = relationship()  # noqa: F821

    @property
    def partner_ids(self) -> list[int]:
        return [seat.partner_id for seat in self.seats]

    def __repr__(self) -> str:
        return f"<Room {self.id} {self.name!r} round={self.round_id}>"


class RoomPartner(db.Model):
    """A partner's seat in a room; one seat per partner per round."""

    __tablename__ = "room_partners"
    __table_args__ = (UniqueConstraint("round_id", "partner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"), index=True)

    room: Mapped[Room] = relationship(back_populates="seats")
    round: Mapped[Round] = relationship()

    def __repr__(self) -> str:
        return f"<RoomPartner partner={self.partner_id} room={self.room_id}>"


class Pairing(db.Model):
    """Who sat with whom in a round, one row per direction: written when the round opens and
    when a partner is moved, and never removed, so a move keeps the access that sitting
    together gave ("paired with in any room")."""

    __tablename__ = "pairings"
    __table_args__ = (UniqueConstraint("round_id", "partner_id", "peer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"), index=True)
    peer_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Pairing round={self.round_id} {self.partner_id}->{self.peer_id}>"


class Presentation(db.Model):
    """A partner showing one plan version, in a breakout room or (room null) in the plenary of
    its workshop. Its clock is `started_at` plus `limit_minutes`: it warns, it never ends it."""

    __tablename__ = "presentations"
    __table_args__ = (Index("ix_presentations_workshop_running", "workshop_id", "room_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    plan_version: Mapped[int]
    presenter_partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    section_key: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    limit_minutes: Mapped[int]
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<Presentation {self.id} plan={self.plan_id} v{self.plan_version} at {self.section_key}>"


class Connection(db.Model):
    """An open socket: presence lives here so that every worker sees the same rooms."""

    __tablename__ = "connections"

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    auth_token: Mapped[str] = mapped_column(String(64), index=True)
    worker_id: Mapped[str] = mapped_column(String(64), index=True)
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"), index=True)
    connected_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Connection {self.sid} user={self.user_id} workshop={self.workshop_id} room={self.room_id}>"


class Worker(db.Model):
    """A serving process; its heartbeat tells which connections are still real."""

    __tablename__ = "workers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Worker {self.id} seen {self.seen_at:%H:%M:%S}>"
