"""One unit of work: a short write transaction that commits, then publishes what it collected.

    with write() as tx:
        ... read, check, change ...
        tx.publish(log.append(...))

The body runs inside one transaction (IMMEDIATE on SQLite). Leaving the block commits and
then hands the collected events to the publisher; an exception rolls everything back and
publishes nothing. A `write()` inside another joins the outer unit, so composite operations
commit together or not at all. Nothing inside a unit may yield to the event loop (no
thread-pool calls, no socket or request-body I/O): on SQLite the write lock is held.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Connection, Executable, event
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from flask_sqlalchemy.session import Session as FlaskSession

from collab.database import WRITE_OPTION, is_lock_timeout
from collab.extensions import db
from collab.services.errors import Busy, Conflict
from collab.services.publish import Published, Publisher, publisher

_UNIT = "collab.unit_of_work"


class UnitOfWork:
    """What one write transaction will announce once it has committed, and the rows it
    stores only at the commit."""

    def __init__(self) -> None:
        self.events: list[Published] = []
        self.actions: list[Callable[[Publisher], None]] = []
        self.seqs: dict[int, int] = {}  # workshop id -> the last seq this unit handed out
        self.at_commit: dict[Executable, dict[object, dict]] = {}

    def publish(self, *items: Published | None) -> None:
        self.events.extend(item for item in items if item is not None)

    def after_commit(self, action: Callable[[Publisher], None]) -> None:
        """Run `action(publisher)` after the commit, before the events go out (e.g. subscribe a socket)."""
        self.actions.append(action)

    def execute_at_commit(self, statement: Executable, parameters: dict, *, key: object = None) -> None:
        """Run `statement` just before the commit, with the other parameter sets given for it
        in this unit: one executemany for a whole batch's rows (group commit) instead of a
        statement, and on PostgreSQL a round trip, per row. For writes that nothing in the
        unit reads back (the log's events, feedback's change records). A later set with the
        same `key` replaces the earlier one."""
        self.at_commit.setdefault(statement, {})[object() if key is None else key] = parameters

    def store(self, connection: Connection) -> None:
        """Run what waits for the commit (`write()` calls it just before committing)."""
        for statement, rows in self.at_commit.items():
            connection.execute(statement, list(rows.values()))
        self.at_commit.clear()


def in_unit() -> bool:
    return _UNIT in db.session().info


def current_unit() -> UnitOfWork | None:
    return db.session().info.get(_UNIT)


def end_read() -> None:
    """End the current read transaction, if any, without expiring what was loaded.

    Called before anything that may yield to the event loop (a thread-pool call, streaming,
    emitting), so that no transaction is open while other green threads run. Inside a unit
    of work it does nothing: the unit ends its own transaction.
    """
    session = db.session()
    if not in_unit() and session.in_transaction():
        session.commit()


def pause() -> None:
    """Let other green threads run between the units of a long job (eventlet makes
    `time.sleep` cooperative). Inside a unit it does nothing: the unit must not yield."""
    if not in_unit():
        time.sleep(0)


@contextmanager
def write() -> Iterator[UnitOfWork]:
    session = db.session()
    outer = session.info.get(_UNIT)
    if outer is not None:
        yield outer
        return
    _begin(session)
    unit = UnitOfWork()
    session.info[_UNIT] = unit
    try:
        yield unit
        unit.store(session.connection())
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict(_("Someone changed this at the same moment; reload and try again.")) from exc
    except DBAPIError as exc:
        session.rollback()
        if is_lock_timeout(exc):
            raise _busy() from exc
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(_UNIT, None)
    pub = publisher()
    for action in unit.actions:
        action(pub)
    if unit.events:
        pub.publish(unit.events)


def _busy() -> Busy:
    return Busy(_("The service is busy; try again in a moment."), retry_after=1)


def _begin(session: Session) -> None:
    """Start the write transaction, waiting for the write lock cooperatively and within a bound.

    What was loaded before (the signed-in user, say) may be stale by now: it is expired so
    that the unit reads current rows. The wait sleeps with `time.sleep`, which eventlet
    makes cooperative: the other green threads, the lock holder among them, keep running.
    """
    if session.in_transaction():
        session.commit()
    session.expire_all()
    deadline = time.monotonic() + current_app.config["DB_LOCK_WAIT_SECONDS"]
    delay = 0.002
    while True:
        try:
            session.connection(execution_options={WRITE_OPTION: True})
            return
        except DBAPIError as exc:
            session.rollback()
            if not is_lock_timeout(exc):
                raise
            if time.monotonic() + delay > deadline:
                raise _busy() from exc
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


# Changes made outside a unit of work would upgrade a read transaction (on SQLite, "database is
# locked" when another writer came first) and would skip the publisher: refuse them loudly.
_OUTSIDE = "database changes must be made inside services.unit_of_work.write()"


@event.listens_for(FlaskSession, "before_flush")
def _refuse_flush_outside_unit(session, _context, _instances):
    if _UNIT not in session.info and (session.new or session.dirty or session.deleted):
        raise RuntimeError(_OUTSIDE)


@event.listens_for(FlaskSession, "do_orm_execute")
def _refuse_dml_outside_unit(state):
    if (state.is_insert or state.is_update or state.is_delete) and _UNIT not in state.session.info:
        raise RuntimeError(_OUTSIDE)
