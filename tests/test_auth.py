"""Signing in and out: credentials, throttling, revocation, CSRF and cookie flags."""
from __future__ import annotations

import pytest

from collab.models import LoginFailure
from collab.extensions import db
from tests.conftest import PASSWORD


def test_sign_in_returns_user_and_csrf_token(client, world):
    response = client.post("/api/v1/session", json={"email": world.lt_member.email, "password": PASSWORD})
    assert response.status_code == 200
    body = response.get_json()
    assert body["user"] == {"id": world.lt_member.id, "email": world.lt_member.email, "name": "Rūta", "locale": "en", "is_admin": False}
    assert body["csrf_token"]
    me = client.get("/api/v1/me").get_json()
    assert me["user"]["id"] == world.lt_member.id
    assert [p["short_name"] for p in me["partners"]] == ["KLAIPEDA"]


def test_email_is_case_insensitive(client, world):
    response = client.post("/api/v1/session", json={"email": world.lt_member.email.upper(), "password": PASSWORD})
    assert response.status_code == 200


def test_wrong_password_and_unknown_email_get_the_same_answer(client, world):
    wrong = client.post("/api/v1/session", json={"email": world.lt_member.email, "password": "nope"})
    unknown = client.post("/api/v1/session", json={"email": "nobody@example.org", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()
    assert client.get("/api/v1/me").status_code == 401


def test_login_is_throttled_per_account(client, world):
    for _ in range(5):
        assert client.post("/api/v1/session", json={"email": world.lt_member.email, "password": "guess"}).status_code == 401
    response = client.post("/api/v1/session", json={"email": world.lt_member.email, "password": PASSWORD})
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    # Another account from the same address is not locked out yet.
    assert client.post("/api/v1/session", json={"email": world.pl_member.email, "password": PASSWORD}).status_code == 200


def test_login_is_throttled_per_address(app, client, world):
    for n in range(20):
        client.post("/api/v1/session", json={"email": f"guess{n}@example.org", "password": "x"})
    response = client.post("/api/v1/session", json={"email": world.pl_member.email, "password": PASSWORD})
    assert response.status_code == 429
    other_address = app.test_client()
    response = other_address.post(
        "/api/v1/session", json={"email": world.pl_member.email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": "10.9.9.9"}
    )
    assert response.status_code == 200


def test_unknown_emails_are_throttled_too(client):
    for _ in range(5):
        client.post("/api/v1/session", json={"email": "ghost@example.org", "password": "x"})
    assert client.post("/api/v1/session", json={"email": "ghost@example.org", "password": "x"}).status_code == 429
    assert db.session.query(LoginFailure).count() == 5


def test_logout_revokes_the_cookie_even_if_replayed(app, client, world, login):
    login(world.lt_member)
    cookie = client.get_cookie("session")
    assert client.delete("/api/v1/session").status_code == 204
    replay = app.test_client()
    replay.set_cookie("session", cookie.value)
    assert replay.get("/api/v1/me").status_code == 401


def test_api_write_without_csrf_token_is_refused(client, world, login):
    login(world.admin)
    del client.environ_base["HTTP_X_CSRFTOKEN"]
    response = client.post("/api/v1/partners", json={"name": "X", "short_name": "X", "country": "LT", "organisations": ["X"]})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf"
    response = client.post("/api/v1/partners", json={"name": "X", "short_name": "X", "country": "LT", "organisations": ["X"]},
                           headers={"X-CSRFToken": "forged"})
    assert response.status_code == 400


def test_form_without_csrf_token_is_refused(client, world, login):
    login(world.admin)
    response = client.post("/partners", data={"name": "X", "short_name": "X", "country": "LT", "organisations": "X"},
                           headers={"X-CSRFToken": ""})
    assert response.status_code == 400


def test_login_page_signs_in_and_redirects_to_next(client, world):
    page = client.get("/login")
    assert page.status_code == 200
    token = _csrf_from(page.get_data(as_text=True))
    response = client.post("/login", data={"email": world.lt_member.email, "password": PASSWORD, "csrf_token": token,
                                           "next": f"/plans/{world.lt_plan.id}"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/plans/{world.lt_plan.id}"


def test_login_page_never_redirects_off_site(client, world):
    token = _csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": world.lt_member.email, "password": PASSWORD, "csrf_token": token,
                                           "next": "//evil.test/x"})
    assert response.headers["Location"] == "/"


def test_wrong_password_on_login_page_shows_error(client, world):
    token = _csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": world.lt_member.email, "password": "bad", "csrf_token": token})
    assert response.status_code == 401
    assert "Wrong email or password" in response.get_data(as_text=True)


def test_pages_need_sign_in(client, world):
    response = client.get(f"/plans/{world.lt_plan.id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_session_cookie_flags(client, world):
    response = client.post("/api/v1/session", json={"email": world.lt_member.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_refuses_to_start_without_a_real_secret(monkeypatch):
    from config import ProductionConfig, config_from_env

    monkeypatch.setenv("COLLAB_CONFIG", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config_from_env()
    monkeypatch.setenv("SECRET_KEY", "changeme")
    with pytest.raises(RuntimeError):
        config_from_env()
    monkeypatch.setenv("SECRET_KEY", "kX9-vQ2_pL7mZ4wR8tY1uN6bC3dF5gH0jS")
    assert config_from_env() is ProductionConfig
    assert ProductionConfig.SESSION_COOKIE_SECURE is True


def _csrf_from(html: str) -> str:
    import re

    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
