"""axe-core in the browser tests: no page may have a serious or critical accessibility violation.

scripts/test.sh installs axe-core from the npm registry into tests/.node (gitignored). The
script is evaluated in the page through the DevTools protocol, which the page's strict CSP
(no inline or foreign scripts) does not apply to, so the page under test is the real one.
"""
from __future__ import annotations

import os
import warnings
from functools import cache

import pytest

from tests.support.servers import REPO_ROOT

AXE_SCRIPT = REPO_ROOT / "tests" / ".node" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
# Only violations are wanted; the passes and incomplete results would make each run slower.
RUN = "() => axe.run(document, {resultTypes: ['violations']})"


@cache
def _source() -> str | None:
    return AXE_SCRIPT.read_text(encoding="utf-8") if AXE_SCRIPT.is_file() else None


def _missing() -> None:
    """In CI a failure, as for any missing service; elsewhere a warning, not a skip, so that the
    rest of the browser test the check sits in still runs."""
    reason = f"axe-core is not installed at {AXE_SCRIPT} (bash scripts/test.sh installs it with npm)"
    if os.environ.get("COLLAB_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service unavailable: {reason}", pytrace=False)
    warnings.warn(f"accessibility not checked: {reason}", stacklevel=3)


def describe(violations: list[dict]) -> str:
    """One block per rule: its impact, what it asks, where to read more, and each offending node."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def check_accessibility(page, where: str | None = None) -> None:
    """Run axe-core on what `page` shows now; fail listing every serious or critical violation."""
    source = _source()
    if source is None:
        _missing()
        return
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(source)
    violations = [v for v in page.evaluate(RUN)["violations"] if v["impact"] in BLOCKING]
    label = where or page.url
    assert not violations, f"axe-core: serious or critical violations on {label}:\n{describe(violations)}"
