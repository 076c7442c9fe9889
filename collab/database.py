"""Engine settings. SQLite: WAL, foreign keys, and two kinds of transaction.

Reads begin DEFERRED: in WAL mode they never take the write lock, so a read may stay open
while the event loop serves others. Writes begin IMMEDIATE (asked for by the unit of work,
`services/unit_of_work.py`), so two writers queue at BEGIN instead of failing later when
a reader tries to upgrade. The wait for that lock is done by the unit of work with
cooperative sleeps: `busy_timeout` is 0, because SQLite's own busy handler sleeps the one
OS thread that every green thread shares, including the one holding the lock.
"""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine

WRITE_OPTION = "collab_write"


def configure_sqlite(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=0")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        write = connection.get_execution_options().get(WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def is_lock_timeout(exc: BaseException) -> bool:
    """A database said 'wait your turn': SQLite busy/locked, PostgreSQL lock or deadlock errors."""
    orig = getattr(exc, "orig", exc)
    message = str(orig).lower()
    if "database is locked" in message or "database is busy" in message:
        return True
    sqlstate = getattr(orig, "sqlstate", None)
    return sqlstate in {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available
