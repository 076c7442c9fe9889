"""Engine settings. SQLite: WAL, foreign keys, and two kinds of transaction.

Reads begin DEFERRED: in WAL mode they never take the write lock, so a read may stay open
while the event loop serves others. Writes begin IMMEDIATE (asked for by the unit of work,
`services/unit_of_work.py`), so two writers queue at BEGIN instead of failing later when
a reader tries to upgrade. The wait for that lock is done by the unit of work with
cooperative sleeps: `busy_timeout` is 0, because SQLite's own busy handler sleeps the one
OS thread that every green thread shares, including the one holding the lock.
"""
from __future__ import annotations

import fcntl
import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import IO

from flask import Flask
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
        if has_wal(engine):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        write = connection.get_execution_options().get(WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def bound_lock_waits(app: Flask) -> None:
    """On PostgreSQL, a statement waits for a lock at most DB_LOCK_WAIT_SECONDS, as a write waits
    for SQLite's (unit_of_work._begin); then the unit answers busy (`is_lock_timeout`). Without
    it an item waited for as long as another session held the workshop's row."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    connect_args = options.get("connect_args", {})
    wait = f"-c lock_timeout={int(app.config['DB_LOCK_WAIT_SECONDS'] * 1000)}"
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **options, "connect_args": {**connect_args, "options": f"{connect_args.get('options', '')} {wait}".strip()}}


class ServerAlreadyRunning(RuntimeError):
    """Another server process serves this SQLite file."""


def has_wal(engine: Engine) -> bool:
    """A SQLite file (in write-ahead-log mode, see configure_sqlite)."""
    return engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:")


def checkpoint_in_a_thread(engine: Engine) -> None:
    """For the server, which copies the log into the database file from a thread (`checkpoint_wal`,
    realtime/timers.py). Left to itself SQLite does it inside the COMMIT that takes the log past
    1,000 pages: 4-5 ms of copying and syncing, 25 times an ordinary commit, and after a long
    read far more (everything the read held back: 81 ms for 40 s of writes), on the one event
    loop that every room shares. The server's connections leave it to the thread; pooled ones
    are reopened so."""
    @event.listens_for(engine, "connect")
    def _no_checkpoint_in_commits(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")

    engine.dispose()


def checkpoint_wal(engine: Engine) -> tuple[int, int]:
    """Copy the pages committed to SQLite's write-ahead log into the database file, without
    waiting for anyone or making anyone wait (PASSIVE): (pages in the log, pages copied).
    Blocking: the server calls it in a thread."""
    with closing(sqlite3.connect(engine.url.database)) as connection:
        _busy, in_log, copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return in_log, copied


def hold_server_lock(engine: Engine) -> IO | None:
    """Take the one-server-per-SQLite-file lock for this process's lifetime (keep the handle).

    One process owns a SQLite database's sockets: at start it forgets every connection row
    of the previous run, and live events reach only its own sockets, so a second server on
    the same file would silently break the first one's clients. The lock is an exclusive
    `flock` on `<database>.server.lock`, released by the kernel however the process ends
    (kill -9 included). Command-line tools (init-db, demo, backup) do not take it. The file is
    the engine's: a relative path in DATABASE_URL is the instance folder's (Flask-SQLAlchemy),
    not the working directory's.
    """
    if not has_wal(engine):
        return None
    url = engine.url
    path = Path(url.database).resolve().with_name(Path(url.database).name + ".server.lock")
    handle = open(path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise ServerAlreadyRunning(
            f"Another Collab server (pid {holder}) is already serving {url.database}; "
            f"stop it first, or give this one its own DATABASE_URL. (Lock file: {path})"
        ) from None
    handle.truncate(0)
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def is_lock_timeout(exc: BaseException) -> bool:
    """A database said 'wait your turn': SQLite busy/locked, PostgreSQL lock or deadlock errors."""
    orig = getattr(exc, "orig", exc)
    message = str(orig).lower()
    if "database is locked" in message or "database is busy" in message:
        return True
    sqlstate = getattr(orig, "sqlstate", None)
    return sqlstate in {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available
