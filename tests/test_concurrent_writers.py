"""S33: 16 clients write through every HTTP write endpoint and socket command at once, on the
real server started as the README says, while a bystander polls /healthz every 50 ms."""
from __future__ import annotations

import sqlite3

import psycopg

from bench.writers import run_writers

# Long enough for every kind of write to meet the others many times (about 700 writes), short
# enough for the suite: longer runs belong in `python -m bench abuse`.
SECONDS = 12


def _judge(outcomes) -> None:
    print(outcomes.summary())  # the figures, for anyone running with -s
    assert outcomes.unexpected == []
    assert not [key for key in outcomes.http if key[1] >= 500 and key[1] != 503]
    successes = {op for (op, status) in outcomes.http if status < 300} | {ev for (ev, code) in outcomes.acks if code == "ok"}
    # Every kind of write got through at least once: the load was real, not 16 refusals.
    for operation in ("create user", "create partner", "add member", "create workshop", "create round", "general feedback",
                      "save version", "answer", "create plan", "sign in", "submit_feedback", "show_section", "broadcast",
                      "extend_round", "move_partner", "respond_feedback"):
        assert operation in successes, (operation, outcomes.http, outcomes.acks)
    assert max(outcomes.healthz_ms) < 200, sorted(outcomes.healthz_ms)[-5:]


def test_sixteen_writers_on_sqlite(collab_server):
    server = collab_server(demo=True)
    outcomes = run_writers(server, SECONDS)
    _judge(outcomes)
    database = server.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as db:
        stored = {row[0] for row in db.execute("SELECT id FROM feedback_items")}
    assert outcomes.feedback_acked <= stored


def test_sixteen_writers_on_postgresql(collab_server, postgres_server):
    server = collab_server(demo=True, DATABASE_URL=postgres_server.new_database())
    outcomes = run_writers(server, SECONDS)
    _judge(outcomes)
    with psycopg.connect(server.database_url) as db:
        stored = {row[0] for row in db.execute("SELECT id FROM feedback_items")}
    assert outcomes.feedback_acked <= stored

