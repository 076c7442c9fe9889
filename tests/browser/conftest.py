"""Browser-test fixtures: Playwright's expect() with the waiting time these pages need."""
from __future__ import annotations

import pytest

from tests.browser.demo import WAIT_MS


@pytest.fixture
def expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    return expect
