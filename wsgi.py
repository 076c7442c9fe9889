"""Serve Collab: `python wsgi.py` (HTTP and Socket.IO on HOST:PORT). The one module that imports eventlet.

`flask --app wsgi ...` imports this module too, for the command line; then nothing is
monkey-patched, as Flask is already imported by the time this module runs.
"""
import gc
import os
import sys
import warnings

# Eventlet is the stack's chosen async mode (a config value, cheap to switch); its
# maintenance-mode notice is known and would only add noise to every start.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

SERVING = __name__ == "__main__"
if SERVING and os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet") == "eventlet":
    import eventlet

    eventlet.monkey_patch()
    # psycopg 3 waits for PostgreSQL in C unless it recognises the monkey-patching (it knows
    # gevent's, not eventlet's): every query would stop the event loop until it ended, and an
    # item waiting for a lock every room of the worker. Its `wait_selector` goes through the
    # patched `selectors`. Read when psycopg is first imported, which comes later.
    os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_selector")

from collab import create_app  # noqa: E402
from collab.extensions import socketio  # noqa: E402

app = create_app()


def tune_garbage_collection() -> None:
    """Keep the collector's pauses off the event loop's tail.

    Every collection stops the one loop that carries every room, and a full one walks every
    object: with 1,000 sockets that took 100-240 ms, the whole p99 of `bench rooms --large`
    (258-450 ms). What was made at start (modules, the app) lives for ever: `freeze` takes it
    out of the walks. Collecting the young generation less often (3,000 allocations instead of
    700) and the oldest only after 100 middle collections (instead of 10) leaves pauses of
    about 20 ms, and the p99 at 34 ms. Garbage cycles still go, only later; a full collection
    still comes now and then as the heap grows, rarely enough to stay out of the p99."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(3_000, 20, 100)


def main() -> None:
    from collab.database import ServerAlreadyRunning, hold_server_lock
    from collab.extensions import db
    from collab.realtime import start_background_work

    try:
        # Before anything touches the database: start-up clears the previous run's sockets.
        with app.app_context():
            app.extensions["collab.server_lock"] = hold_server_lock(db.engine)
    except ServerAlreadyRunning as exc:
        print(f"Collab did not start: {exc}", file=sys.stderr, flush=True)
        sys.exit(os.EX_TEMPFAIL)
    host, port = app.config["HOST"], app.config["PORT"]
    tune_garbage_collection()
    if app.config["SOCKETIO_ASYNC_MODE"] != "eventlet":
        start_background_work(app)
        print(f"Collab is serving on http://{host}:{port}/", flush=True)
        socketio.run(app, host=host, port=port, log_output=False, allow_unsafe_werkzeug=True)
        return
    import socket

    from eventlet import tpool, wsgi

    from collab.realtime.frames import use_fast_masking
    from collab.services.offload import use_thread_pool

    use_fast_masking()
    # Hashing and Markdown rendering run in real threads, so that neither a login storm nor
    # a huge plan stalls the live rooms.
    use_thread_pool(app, tpool.execute, app.config["OFFLOAD_CONCURRENCY"])
    listener = eventlet.listen((host, port))
    # Accepted sockets inherit this: without it a response over ~16 KB waits ~40 ms for
    # the client's delayed ACK (Nagle), which would dominate every list and page.
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    start_background_work(app)
    print(f"Collab is serving on http://{host}:{port}/", flush=True)
    # debug=False: eventlet would otherwise write a failing request's traceback (paths,
    # versions) into the response; the app logs it, the client gets a 500 or a cut stream.
    wsgi.server(listener, app, log_output=False, debug=False,
                socket_timeout=app.config["HTTP_SOCKET_TIMEOUT"], max_size=app.config["MAX_CONNECTIONS"])


if SERVING:
    main()
