"""HTTP adapters: page and /api/v1 blueprints, error mapping, security headers."""
from __future__ import annotations

from flask import Flask
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, ValidationError

from collab.services.inputs import MAX_ID
from collab.web import (
    auth, dashboard, errors, history, openapi, partners, plans, preferences, rooms, rounds, security, templating, users,
    workshops,
)


class DatabaseIdConverter(IntegerConverter):
    """`<int:…>` in every route: ASCII digits up to MAX_ID, the bound every typed input has.

    A larger number is no id at all (404); passed on, it would fail the services' typed
    inputs (or, past 2^63, the database) deep inside a request.
    """

    regex = r"[0-9]+"

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        # NotFound, not werkzeug's "no match": when the path's rule for another method comes
        # first, a no-match is answered 405, and whether a number is an id has nothing to do
        # with the method (PUT /plans/{2^63}/adoption is as absent as GET). A method the path
        # takes for no id at all stays 405, with its Allow header.
        try:
            return super().to_python(value)
        except ValidationError:
            raise NotFound() from None


def register(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIdConverter  # before any route is added
    for module in (auth, dashboard, users, preferences, partners, plans, workshops, rounds, rooms, history, openapi):
        app.register_blueprint(module.bp)
    errors.register(app)
    security.register(app)
    templating.register(app)
