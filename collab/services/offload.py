"""Run CPU-heavy work (password hashing) off the event loop when the server provides a way."""
from __future__ import annotations

from typing import Callable, TypeVar

from flask import current_app

T = TypeVar("T")


def run_blocking(fn: Callable[..., T], *args) -> T:
    """wsgi.py registers eventlet's thread pool here; elsewhere the call runs inline."""
    runner = current_app.extensions.get("collab.offload")
    return runner(fn, *args) if runner else fn(*args)
