"""Playwright fixtures driving Debian's headless Chromium, with screenshots of failed tests.

Loaded by the main conftest through ``pytest_plugins``. Playwright cannot download its own
browser here, so it launches /usr/bin/chromium (Debian package ``chromium``).
"""

from __future__ import annotations

import os
import re
from typing import Callable, Iterator, Optional
from urllib.parse import urlparse

import pytest

from tests.support.servers import REPO_ROOT, require_or_skip

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS_DIR = REPO_ROOT / "tests" / "artifacts"
VIEWPORT = {"width": 1280, "height": 800}
DEFAULT_TIMEOUT_MS = 15_000


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator["object"]:
    """A headless Chromium (playwright.sync_api.Browser) shared by the whole run."""
    if not os.access(CHROMIUM, os.X_OK):
        require_or_skip(f"{CHROMIUM} not found (Debian package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_or_skip("python package 'playwright' is not installed (requirements-dev.txt)")
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except Exception:
        pw.stop()
        raise
    yield browser
    try:
        browser.close()
    finally:
        pw.stop()


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")[:150] or "test"


def _failed(node) -> bool:
    return any(
        getattr(getattr(node, f"rep_{when}", None), "failed", False) for when in ("setup", "call")
    )


@pytest.fixture
def browser_page(browser, request) -> Iterator[Callable[..., "object"]]:
    """Factory: ``browser_page(base_url=None, **context_options) -> Page``.

    Each call opens a fresh browser context (own cookies, so two users can be signed in at
    once), viewport 1280x800, default timeout 15 s. If the test fails, every open page is
    saved to ``tests/artifacts/<test-name>-N.png`` before the contexts are closed.
    """
    contexts: list = []

    def new_page(base_url: Optional[str] = None, **context_options):
        context_options.setdefault("viewport", VIEWPORT)
        if base_url:
            context_options.setdefault("base_url", base_url)
        context = browser.new_context(**context_options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield new_page

    try:
        if _failed(request.node):
            ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
            name = _safe_name(request.node.name)
            n = 0
            for context in contexts:
                for page in context.pages:
                    n += 1
                    path = ARTIFACTS_DIR / f"{name}-{n}.png"
                    try:
                        page.screenshot(path=str(path), full_page=True, timeout=5_000)
                        print(f"screenshot saved: {path}")
                    except Exception as exc:  # a crashed page must not hide the real failure
                        print(f"screenshot {path} failed: {exc}")
    finally:
        for context in contexts:
            try:
                context.close()
            except Exception:
                pass


def sign_in(page, base_url: str, email: str, password: str) -> None:
    """Sign in through the login form and wait until the browser lands on ``/``."""
    base = base_url.rstrip("/")
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    # The login form, not the header's language switch (nor any other form on the page).
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url(lambda url: urlparse(url).path == "/")
