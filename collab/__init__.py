"""Collab: live peer-review workshops for Action Plans. `create_app` builds the service."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, has_request_context, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from config import INSTANCE_DIR, Config, DevelopmentConfig, config_from_env

ROOT = Path(__file__).resolve().parent.parent


def _select_locale() -> str | None:
    """The signed-in person's language; else the one a visitor picked (kept in the session);
    else the browser's best match among ours."""
    from flask import current_app, session

    if not has_request_context():
        return None  # command line: the default locale
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages)


def _select_time_zone() -> str | None:
    """The signed-in person's time zone; None falls back to DEFAULT_TIME_ZONE."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.time_zone
    return None


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    from collab import cli, realtime, web
    from collab.web import limits
    from collab.database import bound_lock_waits, configure_sqlite
    from collab.extensions import babel, csrf, db, login_manager, migrate, socketio
    from collab.realtime import handler
    from collab.realtime.frames import without_compression
    from collab.realtime.message_queue import message_queue_manager
    from collab.realtime.packets import JsonPacket

    config = config or config_from_env()
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(config)
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)  # the default SQLite file lives there
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = DevelopmentConfig.development_secret()

    bound_lock_waits(app)
    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    login_manager.user_loader(handler.user_for_token)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, timezone_selector=_select_time_zone)
    queue = app.config["SOCKETIO_MESSAGE_QUEUE"]
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=queue,
        # Workers publish their events as they commit; each worker's sockets get them in seq order.
        client_manager=message_queue_manager(queue) if queue else None,
        cors_allowed_origins=app.config["CORS_ALLOWED_ORIGINS"],
        ping_interval=app.config["SOCKETIO_PING_INTERVAL"],
        ping_timeout=app.config["SOCKETIO_PING_TIMEOUT"],
        max_http_buffer_size=app.config["SOCKETIO_MAX_MESSAGE_BYTES"],
        serializer=JsonPacket,
        # A socket's events run one after another in the greenlet that reads it: a client
        # that floods waits for its own events (TCP backpressure) instead of queueing
        # thousands of greenlets in front of everyone else's.
        async_handlers=False,
    )

    app.wsgi_app = without_compression(app.wsgi_app)
    limits.init_app(app)
    if app.config["TRUSTED_PROXIES"]:
        # Outermost, so pages and sockets alike see the client's address and scheme.
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    web.register(app)
    realtime.register(app)
    cli.register(app)
    return app
