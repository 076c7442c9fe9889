"""HTTP adapters: page and /api/v1 blueprints, error mapping, security headers."""
from __future__ import annotations

from flask import Flask

from collab.web import auth, dashboard, errors, history, partners, plans, rooms, rounds, security, templating, users, workshops


def register(app: Flask) -> None:
    for module in (auth, dashboard, users, partners, plans, workshops, rounds, rooms, history):
        app.register_blueprint(module.bp)
    errors.register(app)
    security.register(app)
    templating.register(app)
