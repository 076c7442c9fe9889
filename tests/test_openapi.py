"""The OpenAPI document describes exactly the JSON API, and schemathesis finds no 5xx in it."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from jsonschema_rs import Draft202012Validator


def _registered(app) -> set[tuple[str, str]]:
    """(method, OpenAPI path) of every /api/v1 route Flask serves."""
    operations = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        operations |= {(method.lower(), path) for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    return operations


def test_the_document_describes_every_api_route_and_nothing_else(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.1")
    described = {(method, path) for path, operations in spec["paths"].items() for method in operations}
    assert described == _registered(app)
    for name in spec["components"]["schemas"]:  # each a valid JSON Schema, its $refs resolved in the document
        Draft202012Validator({"components": spec["components"], "$ref": f"#/components/schemas/{name}"})


def test_schemathesis_finds_no_server_error_and_no_response_off_the_schema(collab_server, tmp_path):
    server = collab_server(demo=True)
    session = server.login("facilitator@collab.example", "workshop-demo-2026")
    report = tmp_path / "schemathesis"
    command = [
        str(Path(sys.executable).with_name("st")), "run", f"{server.url}/api/v1/openapi.json",
        "--checks", "not_a_server_error,response_schema_conformance",
        "--phases", "examples,fuzzing", "--max-examples", "8", "--max-time", "30", "--workers", "2",
        "--request-timeout", "10", "--suppress-health-check", "all", "--no-color",
        # Signing out would end the run's own session; it is covered by its own tests.
        "--exclude-method", "DELETE",
        "-H", f"Cookie: {server.cookie_header(session)}", "-H", f"X-CSRFToken: {session.csrf_token}",
        "--report", "junit", "--report-dir", str(report),
        # (The coverage phase is left out: in schemathesis 4.32 it stops on an internal
        # hypothesis error while walking our schemas, before sending a request.)
    ]
    # In a temp dir: schemathesis keeps a `.schemathesis/` cache in its working directory.
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "Traceback" not in server.log_tail(400), server.log_tail(80)
