"""Command line: `flask --app wsgi init-db | create-admin | demo | backup`."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from flask import Flask, current_app
from flask_migrate import upgrade

from collab.extensions import db
from collab.services import demo, users
from collab.services.errors import ServiceError
from collab.services.inputs import UserInput, parse


def register(app: Flask) -> None:
    @app.cli.command("init-db")
    def init_db() -> None:
        """Create the database schema or upgrade it to the latest migration."""
        upgrade()
        click.echo("Database is up to date.")

    @app.cli.command("create-admin")
    @click.argument("email")
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    @click.option("--name", default="Administrator")
    def create_admin(email: str, password: str, name: str) -> None:
        """Create an administrator account."""
        try:
            user = users.create_user(None, parse(UserInput, {"email": email, "name": name, "password": password, "is_admin": True}))
        except ServiceError as exc:
            details = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
            raise click.ClickException(f"{exc.message} {details}".strip()) from None
        click.echo(f"Administrator {user.email} created.")

    @app.cli.command("demo")
    def load_demo() -> None:
        """Load the demo partnership, plans and workshop (idempotent)."""
        workshop = demo.load_demo()
        host, port = current_app.config["HOST"], current_app.config["PORT"]
        click.echo(f"Demo workshop ready: \"{workshop.title}\" (id {workshop.id}).")
        click.echo(f"Open http://{host}:{port}/ and sign in with one of these accounts:")
        for who, email in demo.sign_in_details():
            click.echo(f"  {who:<22} {email}")
        click.echo(f"Password for every demo account: {demo.content.DEMO_PASSWORD}")

    @app.cli.command("backup")
    @click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
    def backup(target: Path) -> None:
        """Copy a live SQLite database consistently (online backup API)."""
        url = db.engine.url
        if url.get_backend_name() != "sqlite" or not url.database:
            raise click.ClickException("backup works on SQLite files; use pg_dump for PostgreSQL")
        source = sqlite3.connect(url.database)
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        dest.close()
        source.close()
        click.echo(f"Backup written to {target}.")
