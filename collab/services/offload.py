"""Run CPU-heavy work (password hashing) off the event loop, a bounded number at a time."""
from __future__ import annotations

import threading
from typing import Callable, TypeVar

from flask import Flask, current_app

from collab.services.unit_of_work import end_read, in_unit

T = TypeVar("T")


def use_thread_pool(app: Flask, execute: Callable, concurrency: int) -> None:
    """wsgi.py hands eventlet's thread pool here. At most `concurrency` calls run at once:
    more hashing threads than spare cores would take the CPU from the event loop itself,
    and every room would wait. The rest queue cooperatively (the semaphore is green)."""
    slots = threading.BoundedSemaphore(concurrency)

    def bounded(fn: Callable[..., T], *args) -> T:
        with slots:
            return execute(fn, *args)

    app.extensions["collab.offload"] = bounded


def run_blocking(fn: Callable[..., T], *args) -> T:
    """In the thread pool when the server set one up; elsewhere (tests, CLI) inline.

    The event loop serves others meanwhile, so no transaction may be open: a read is ended
    here, and a call from inside a unit of work is a mistake.
    """
    if in_unit():
        raise RuntimeError("run_blocking inside a unit of work would hold the transaction across a pause")
    end_read()
    runner = current_app.extensions.get("collab.offload")
    return runner(fn, *args) if runner else fn(*args)

