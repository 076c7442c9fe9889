"""The demo command is idempotent and loads PRODUCT.md's partnership; migrations match the models."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select

from collab import create_app
from collab.extensions import db
from collab.models import FeedbackItem, Partner, Plan, Room, User, Workshop, WorkshopResource
from config import TestingConfig


def _counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in (User, Partner, Plan, Workshop, Room, FeedbackItem, WorkshopResource)}


def klaipeda_plan_id() -> int:
    return db.session.scalar(select(Plan.id).join(Partner).where(Partner.short_name == "KLAIPEDA"))


def test_demo_loads_the_partnership_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "facilitator@collab.example" in first.output and "workshop-demo-2026" in first.output
    counts = _counts()
    # The workshop to run, and a past session (same three rooms) that has happened.
    assert counts == {"User": 13, "Partner": 6, "Plan": 6, "Workshop": 2, "Room": 6, "FeedbackItem": 30, "WorkshopResource": 4}
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    assert _counts() == counts
    to_run, past = db.session.scalars(select(Workshop).order_by(Workshop.id)).all()
    assert to_run.status == "scheduled" and [r.status for r in to_run.rounds] == ["pending"]
    assert past.status == "ended" and [r.status for r in past.rounds] == ["closed"]
    assert {r.kind for r in to_run.resources} == {"recording", "video", "document"} and not past.resources
    general = db.session.scalars(select(FeedbackItem).where(FeedbackItem.plan_id == klaipeda_plan_id(), FeedbackItem.workshop_id == past.id)).all()
    assert len(general) == 5 and {i.section_key for i in general} == {"executive-summary", "endorsement", "action-1"}
    klaipeda = db.session.scalar(select(Partner).where(Partner.short_name == "KLAIPEDA"))
    assert len(klaipeda.organisations) == 2 and len(klaipeda.members) == 2
    plan_text = " ".join(s.body for s in klaipeda.plans[0].versions[0].sections)
    assert "KEDS" in plan_text and "109" in plan_text and "47" in plan_text
    rooms = db.session.scalars(select(Room).where(Room.round_id == to_run.rounds[0].id).order_by(Room.position)).all()
    names = [{db.session.get(Partner, pid).short_name for pid in room.partner_ids} for room in rooms]
    assert names == [{"ACEP", "SODEBUR"}, {"KLAIPEDA", "RRDA"}, {"PANNON", "LOMB"}]


def test_create_admin_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "boss@example.org", "--password", "a very long password", "--name", "Boss"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.email == "boss@example.org")).is_admin
    again = runner.invoke(args=["create-admin", "boss@example.org", "--password", "a very long password"])
    assert again.exit_code != 0 and "already exists" in again.output


def test_migrations_build_the_same_schema_as_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        engine = create_engine(url)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"render_as_batch": True}), db.metadata)
        engine.dispose()
        db.engine.dispose()
    assert diff == []


def test_backup_is_a_consistent_copy(app, tmp_path):
    import sqlite3

    app.test_cli_runner().invoke(args=["demo"])
    target = tmp_path / "backup.db"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert copy.execute("SELECT count(*) FROM plans").fetchone() == (6,)
    copy.close()
