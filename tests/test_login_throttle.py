"""Finding 4 of issue 10: throttling slows the guesser without locking the owner out."""
from __future__ import annotations

from datetime import timedelta

from collab import create_app
from collab.extensions import db
from collab.models import LoginFailure
from collab.services.unit_of_work import write
from config import TestingConfig
from tests.conftest import PASSWORD

A, B = {"REMOTE_ADDR": "192.0.2.10"}, {"REMOTE_ADDR": "198.51.100.20"}


def _sign_in(client, email: str, password: str, environ: dict, headers: dict | None = None):
    return client.post("/api/v1/session", json={"email": email, "password": password}, environ_base=environ, headers=headers or {})


def test_guesses_from_one_address_do_not_lock_the_owner_at_another(app, world):
    guesser, owner = app.test_client(), app.test_client()
    for _ in range(5):
        assert _sign_in(guesser, world.lt_member.email, "guess", A).status_code == 401
    refused = _sign_in(guesser, world.lt_member.email, PASSWORD, A)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert _sign_in(owner, world.lt_member.email, PASSWORD, B).status_code == 200


def test_made_up_emails_from_one_address_lock_only_that_address(app, world):
    guesser = app.test_client()
    for n in range(20):
        _sign_in(guesser, f"made-up-{n}@example.org", "x", A)
    assert _sign_in(guesser, world.pl_member.email, PASSWORD, A).status_code == 429
    assert _sign_in(app.test_client(), world.pl_member.email, PASSWORD, B).status_code == 200


def test_the_wait_grows_with_each_failure_past_the_limit(app, world):
    guesser = app.test_client()
    for _ in range(5):
        _sign_in(guesser, world.lt_member.email, "guess", A)
    first_wait = int(_sign_in(guesser, world.lt_member.email, "guess", A).headers["Retry-After"])
    with write():  # the wait has passed: one more failure is allowed, and doubles the next wait
        for failure in db.session.query(LoginFailure):
            failure.at -= timedelta(seconds=first_wait)
    assert _sign_in(guesser, world.lt_member.email, "guess", A).status_code == 401
    second_wait = int(_sign_in(guesser, world.lt_member.email, "guess", A).headers["Retry-After"])
    assert second_wait >= 2 * first_wait - 1


def test_behind_trusted_proxies_the_forwarded_address_counts(tmp_path, world):
    # The same database as the `app` fixture's, served as if behind one TLS proxy.
    proxied = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'test.db'}", TRUSTED_PROXIES=1)
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    guesser, owner = proxied.test_client(), proxied.test_client()
    with proxied.app_context():
        for _ in range(5):
            _sign_in(guesser, world.lt_member.email, "guess", proxy, {"X-Forwarded-For": "203.0.113.5"})
        assert _sign_in(owner, world.lt_member.email, PASSWORD, proxy, {"X-Forwarded-For": "198.51.100.7"}).status_code == 200
        addresses = {row.address for row in db.session.query(LoginFailure)}
    assert addresses == {"203.0.113.5"}


def test_forwarded_headers_are_ignored_without_trusted_proxies(app, world):
    client = app.test_client()
    _sign_in(client, world.lt_member.email, "guess", A, {"X-Forwarded-For": "203.0.113.5"})
    assert {row.address for row in db.session.query(LoginFailure)} == {A["REMOTE_ADDR"]}
