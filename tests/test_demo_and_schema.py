"""The demo command is idempotent and loads PRODUCT.md's partnership; migrations match the models."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select

from collab import create_app
from collab.extensions import db
from collab.models import Partner, Plan, Room, User, Workshop
from config import TestingConfig


def _counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in (User, Partner, Plan, Workshop, Room)}


def test_demo_loads_the_partnership_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "facilitator@collab.example" in first.output and "workshop-demo-2026" in first.output
    counts = _counts()
    assert counts == {"User": 13, "Partner": 6, "Plan": 6, "Workshop": 1, "Room": 3}
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    assert _counts() == counts
    klaipeda = db.session.scalar(select(Partner).where(Partner.short_name == "KLAIPEDA"))
    assert len(klaipeda.organisations) == 2 and len(klaipeda.members) == 2
    plan_text = " ".join(s.body for s in klaipeda.plans[0].versions[0].sections)
    assert "KEDS" in plan_text and "109" in plan_text and "47" in plan_text
    rooms = db.session.scalars(select(Room).order_by(Room.position)).all()
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
