"""Security findings of issue 10 against the real server, started as the README says."""
from __future__ import annotations

import pytest

from tests.support.live_client import LiveClient
from tests.support.raw_socket import RawSocket

PASSWORD = "workshop-demo-2026"
FACILITATOR = "facilitator@collab.example"
RUTA = "ruta.jankauskiene@klaipeda.collab.example"


@pytest.fixture
def server(collab_server):
    # A small flood-guard budget that does not refill during the test, to see it survive.
    return collab_server(demo=True, SOCKET_EVENTS_BURST="4", SOCKET_EVENTS_PER_SECOND="0.01")


def test_client_sent_disconnect_event_changes_nothing(server):
    session = server.login(RUTA, PASSWORD)
    raw = RawSocket(server, session)
    for _ in range(4):
        assert raw.call("join_workshop", {"workshop_id": 1})["ok"]
    assert raw.call("join_workshop", {"workshop_id": 1})["error"]["code"] == "rate_limited"

    for reserved in ("disconnect", "connect"):
        assert raw.call(reserved).get("error", {}).get("code") == "bad_request", f"{reserved} reached the app"
    assert raw.call("join_workshop", {"workshop_id": 1})["error"]["code"] == "rate_limited", "budget was reset"

    assert session.delete(f"{server.url}/api/v1/session").status_code == 204
    raw.frames_until_closed(timeout=3)  # sign-out still finds and evicts this socket
    facilitator = LiveClient(server, server.login(FACILITATOR, PASSWORD))
    assert facilitator.call("broadcast", {"workshop_id": 1, "message": "after sign-out"})["ok"]
    facilitator.wait_for("announcement")
    assert not any("announcement" in frame for frame in raw.frames_for(0.5))
