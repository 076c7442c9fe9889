"""Configuration classes, read from the environment (see README: Configuration)."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

INSTANCE_DIR = Path(os.environ.get("COLLAB_INSTANCE", Path(__file__).resolve().parent / "instance"))


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # A plain postgresql:// URL is accepted as documented; we pick psycopg 3 as the driver.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _origins() -> list[str] | None:
    raw = os.environ.get("CORS_ALLOWED_ORIGINS", "").strip()
    if not raw:
        return None  # python-engineio then allows only the server's own origin
    origins = [o.strip().rstrip("/") for o in raw.split(",") if o.strip()]
    if "*" in origins:
        raise RuntimeError("CORS_ALLOWED_ORIGINS must list origins; '*' is not allowed")
    return origins


def _development_secret() -> str:
    """A development secret generated once and kept in the instance folder."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def strong_secret(key: str) -> bool:
    """Long enough, and not a pattern: 32+ characters, 8+ distinct, not one short run repeated.

    A hex key (16 symbols) passes; "a" * 32, "ab" * 20 or "changeme" * 4 do not.
    """
    repeats_a_shorter_run = (key + key).find(key, 1) < len(key)
    return len(key) >= 32 and len(set(key)) >= 8 and not repeats_a_shorter_run


class Config:
    """Settings shared by every environment."""

    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'collab.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the sign-in session
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # How long a write waits for SQLite's write lock (held by another process), or on PostgreSQL
    # a statement for a lock, before the request is answered 503 busy with Retry-After.
    DB_LOCK_WAIT_SECONDS = float(os.environ.get("DB_LOCK_WAIT_SECONDS", "5"))

    SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet")
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    SOCKETIO_PING_INTERVAL = float(os.environ.get("SOCKETIO_PING_INTERVAL", "25"))
    SOCKETIO_PING_TIMEOUT = float(os.environ.get("SOCKETIO_PING_TIMEOUT", "20"))
    SOCKETIO_MAX_MESSAGE_BYTES = 64 * 1024
    CORS_ALLOWED_ORIGINS = _origins()
    # Per-user flood guard (S16, S29), across all of a user's sockets: sustained rate and burst.
    # A user's events also run one at a time (realtime/handler.FairTurns), so a burst costs
    # that user time, not everyone else's.
    SOCKET_EVENTS_PER_SECOND = float(os.environ.get("SOCKET_EVENTS_PER_SECOND", "20"))
    SOCKET_EVENTS_BURST = float(os.environ.get("SOCKET_EVENTS_BURST", "250"))
    SOCKETS_PER_USER = int(os.environ.get("SOCKETS_PER_USER", "20"))
    # The server (wsgi.py): a client that sends nothing for this long is dropped (must exceed
    # the ping interval plus timeout), and at most this many connections are served at once.
    HTTP_SOCKET_TIMEOUT = float(os.environ.get("HTTP_SOCKET_TIMEOUT", "60"))
    MAX_CONNECTIONS = int(os.environ.get("MAX_CONNECTIONS", "5000"))

    # CPU-heavy calls (hashing, rendering a plan) run at once in threads: one core is left to the event loop.
    OFFLOAD_CONCURRENCY = int(os.environ.get("OFFLOAD_CONCURRENCY", max(1, (os.cpu_count() or 2) - 1)))

    # Fair shares over HTTP (Flask-Limiter syntax). Expensive routes: exports, dossier,
    # history lists and pages, the event list. Counters live in RATELIMIT_STORAGE_URI
    # (default: the Socket.IO message queue's Redis if set, else memory).
    EXPENSIVE_LIMIT_PER_USER = os.environ.get("EXPENSIVE_LIMIT_PER_USER", "60/minute;10/second")
    EXPENSIVE_LIMIT_PER_ADDRESS = os.environ.get("EXPENSIVE_LIMIT_PER_ADDRESS", "300/minute")
    SIGN_IN_LIMIT_PER_ADDRESS = os.environ.get("SIGN_IN_LIMIT_PER_ADDRESS", "30/minute")
    if os.environ.get("RATELIMIT_STORAGE_URI"):
        RATELIMIT_STORAGE_URI = os.environ["RATELIMIT_STORAGE_URI"]
    # Heavy pages and downloads prepared at once; others wait up to HEAVY_WAIT_SECONDS, then 503.
    HEAVY_CONCURRENCY = int(os.environ.get("HEAVY_CONCURRENCY", "2"))
    HEAVY_WAIT_SECONDS = float(os.environ.get("HEAVY_WAIT_SECONDS", "10"))

    # Sign-in throttling: failures counted over a sliding window, per (account, address) pair
    # and per address, never per account alone, so a guesser elsewhere cannot lock the owner
    # out. Past a limit the next try waits LOGIN_FIRST_WAIT_SECONDS, doubling per failure.
    LOGIN_WINDOW_SECONDS = 15 * 60
    LOGIN_MAX_FAILURES_PER_PAIR = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    LOGIN_FIRST_WAIT_SECONDS = 60
    # A sign-in session ends after this long unused, and after this long whatever happens.
    SESSION_IDLE_SECONDS = 60 * int(os.environ.get("SESSION_IDLE_MINUTES", str(12 * 60)))
    SESSION_LIFETIME_SECONDS = 3600 * int(os.environ.get("SESSION_LIFETIME_HOURS", str(7 * 24)))
    # Strict-Transport-Security max-age; 0 sends none (a laptop serves plain http).
    HSTS_SECONDS = 0

    # Proxies in front of the server (each adds one X-Forwarded-For entry); 0 ignores those
    # headers, which a client could otherwise forge to dodge throttling.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    # Seconds of countdown when a round's time runs out by itself.
    ROUND_GRACE_SECONDS = int(os.environ.get("ROUND_GRACE_SECONDS", "30"))
    TIMER_POLL_SECONDS = float(os.environ.get("TIMER_POLL_SECONDS", "0.5"))
    # How soon a socket whose sign-in session expired (idle or age, measured in hours) is
    # disconnected; sign-out and revocation disconnect at once.
    SESSION_RECHECK_SECONDS = float(os.environ.get("SESSION_RECHECK_SECONDS", "5"))

    # Rooms without a video-call link entered by a facilitator get this address followed by the
    # room's id and a token only the server can make (e.g. "https://meet.jit.si/collab-");
    # empty: no link unless one is entered.
    VIDEO_CALL_BASE_URL = os.environ.get("VIDEO_CALL_BASE_URL", "").strip()

    LANGUAGES = ["en", "lt", "pl", "es", "hu", "it"]
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).resolve().parent / "translations")
    # Times are shown in a person's own time zone once chosen (preferences page); until then,
    # and to signed-out visitors, in this one: where the partnership's workshops usually run.
    DEFAULT_TIME_ZONE = os.environ.get("DEFAULT_TIME_ZONE", "Europe/Vilnius")
    BABEL_DEFAULT_TIMEZONE = DEFAULT_TIME_ZONE

    HOST = os.environ.get("HOST", "127.0.0.1")
    PORT = int(os.environ.get("PORT", "5000"))


class DevelopmentConfig(Config):
    """Laptop default: SQLite in the instance folder, a secret generated once (see create_app)."""

    @staticmethod
    def development_secret() -> str:
        return _development_secret()


class TestingConfig(Config):
    """The test suite: a throw-away database given by the tests, threading async mode."""

    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SOCKETIO_ASYNC_MODE = "threading"
    SOCKETIO_MESSAGE_QUEUE = None
    ROUND_GRACE_SECONDS = 2
    # HTTP rate limits are tested against the real server (tests/test_bounded_work.py).
    RATELIMIT_ENABLED = False


class ProductionConfig(Config):
    """Behind TLS: secure cookies, and a real secret is mandatory."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS_SECONDS = 365 * 24 * 3600

    @classmethod
    def check(cls) -> None:
        if not strong_secret(os.environ.get("SECRET_KEY", "")):
            raise RuntimeError(
                "production needs SECRET_KEY set to a random value of 32+ characters "
                "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    name = os.environ.get("COLLAB_CONFIG", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"COLLAB_CONFIG must be one of {sorted(CONFIGS)}, not {name!r}")
    config = CONFIGS[name]
    if config is ProductionConfig:
        ProductionConfig.check()
        config.SECRET_KEY = os.environ["SECRET_KEY"]
    return config
