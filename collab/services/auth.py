"""Signing in and out: password checks, throttling, revocable sign-in sessions."""
from __future__ import annotations

import math
import secrets
from collections.abc import Collection
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from collab.extensions import db
from collab.models import AuthSession, Connection, LoginFailure, User
from collab.models.base import utcnow
from collab.services.errors import RateLimited, Unauthorized
from collab.services.offload import run_blocking
from collab.services.unit_of_work import end_read, write

# Checked against when the email is unknown, so both answers take the same time.
_DUMMY_HASH = generate_password_hash("collab-timing-equaliser")


def hash_password(password: str) -> str:
    return run_blocking(generate_password_hash, password)


def _seconds_to_wait(email: str, address: str) -> int:
    """How long this address must wait before trying this account again (0: go ahead).

    Counted per (account, address) pair and per address: the owner signing in from
    elsewhere is never held back by someone guessing their password. Each failure past a
    limit doubles the wait, up to the window.
    """
    cfg = current_app.config
    now = utcnow()
    window = cfg["LOGIN_WINDOW_SECONDS"]
    recent = select(func.count(), func.max(LoginFailure.at)).where(LoginFailure.address == address, LoginFailure.at >= now - timedelta(seconds=window))
    wait = 0.0
    for query, limit in ((recent.where(LoginFailure.email == email), cfg["LOGIN_MAX_FAILURES_PER_PAIR"]),
                         (recent, cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"])):
        failures, last = db.session.execute(query).one()
        if failures >= limit:
            delay = min(window, cfg["LOGIN_FIRST_WAIT_SECONDS"] * 2 ** (failures - limit))
            wait = max(wait, (last + timedelta(seconds=delay) - now).total_seconds())
    return math.ceil(wait)


def sign_in(email: str, password: str, address: str) -> User:
    """Check the credentials and open a sign-in session; `user.auth_token` names it."""
    email = email.strip().lower()
    address = (address or "unknown")[:64]
    wait = _seconds_to_wait(email, address)
    if wait > 0:
        raise RateLimited(_("Too many failed sign-in attempts. Try again in a few minutes."), retry_after=wait)
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    stored = user.password_hash if user else _DUMMY_HASH
    if not run_blocking(check_password_hash, stored, password) or user is None:
        with write():
            db.session.add(LoginFailure(email=email, address=address))
        raise Unauthorized(_("Wrong email or password."))
    token = secrets.token_urlsafe(32)
    with write():
        db.session.add(AuthSession(token=token, user_id=user.id, last_seen_at=utcnow()))  # seen now: no write on the next request
    user.auth_token = token
    return user


# Recording each request's time would make every read a write; a minute is fine-grained
# enough for an idle timeout measured in hours.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def _due_to_record(last_seen: datetime | None, now: datetime) -> bool:
    """Use is recorded at most every LAST_SEEN_RESOLUTION, not per request; and at least four
    times per idle period, so a short SESSION_IDLE_MINUTES does not end a session in use."""
    every = min(LAST_SEEN_RESOLUTION, timedelta(seconds=current_app.config["SESSION_IDLE_SECONDS"]) / 4)
    return last_seen is None or now - last_seen >= every


def user_for_token(token: str) -> User | None:
    """The user of a live sign-in session, or None once it is revoked, idle too long or too old.

    Flask-Login calls this before the view or socket handler runs; the read transaction
    ends here, so none is open while the request body is read.
    """
    now = utcnow()
    found = db.session.execute(select(User, AuthSession.last_seen_at).join(AuthSession, AuthSession.user_id == User.id)
                               .where(AuthSession.token == token, *_live(now))).one_or_none()
    end_read()
    if found is None:
        return None
    user, last_seen = found
    _seen(token, last_seen, now)
    user.auth_token = token
    return user


def hold_live_session(token: str) -> bool:
    """In a unit of work: is this sign-in session live? Its row stays locked until the unit
    commits (PostgreSQL; SQLite's write units run one at a time anyway), so a concurrent
    sign-out either comes first, and this answers False, or comes after, and finds what the
    unit wrote (a socket's connection row, which it then disconnects)."""
    found = db.session.execute(select(AuthSession.token).where(AuthSession.token == token, *_live(utcnow())).with_for_update())
    return found.first() is not None


SWEEP_CHUNK = 500


def live_sessions(tokens: Collection[str], used: Collection[str]) -> set[str]:
    """Which of these sign-in sessions are still live, by the rule of `user_for_token`, in one
    query per SWEEP_CHUNK tokens. Those `used` since the last look are recorded as seen (use
    keeps a session alive), as a request records its own."""
    now, tokens = utcnow(), list(tokens)
    live, due = set(), []
    for start in range(0, len(tokens), SWEEP_CHUNK):
        rows = db.session.execute(select(AuthSession.token, AuthSession.last_seen_at)
                                  .where(AuthSession.token.in_(tokens[start:start + SWEEP_CHUNK]), *_live(now)))
        for token, last_seen in rows:
            live.add(token)
            if token in used and _due_to_record(last_seen, now):
                due.append(token)
    end_read()
    for start in range(0, len(due), SWEEP_CHUNK):
        with write():
            db.session.execute(update(AuthSession).where(AuthSession.token.in_(due[start:start + SWEEP_CHUNK])).values(last_seen_at=now))
    return live


def _live(now: datetime) -> tuple:
    """Not revoked, not older than its lifetime, not idle longer than allowed."""
    cfg = current_app.config
    return (
        AuthSession.revoked_at.is_(None),
        AuthSession.created_at >= now - timedelta(seconds=cfg["SESSION_LIFETIME_SECONDS"]),
        func.coalesce(AuthSession.last_seen_at, AuthSession.created_at) >= now - timedelta(seconds=cfg["SESSION_IDLE_SECONDS"]),
    )


def _seen(token: str, last_seen: datetime | None, now: datetime) -> None:
    """Use keeps a session alive (see `_due_to_record`)."""
    if _due_to_record(last_seen, now):
        with write():
            db.session.execute(update(AuthSession).where(AuthSession.token == token).values(last_seen_at=now))


def sign_out(token: str) -> None:
    """Revoke the sign-in session and disconnect every socket opened with it."""
    with write() as tx:
        db.session.execute(update(AuthSession).where(AuthSession.token == token, AuthSession.revoked_at.is_(None)).values(revoked_at=utcnow()))
        sids = list(db.session.scalars(select(Connection.sid).where(Connection.auth_token == token)))
        if sids:
            tx.after_commit(lambda pub: pub.disconnect(sids))


def prune_login_failures() -> int:
    """Housekeeping: failures older than the window no longer count, so they go."""
    since = utcnow() - timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])
    with write():
        return db.session.execute(delete(LoginFailure).where(LoginFailure.at < since)).rowcount
