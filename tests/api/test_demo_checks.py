"""Finding 13: the demo's replay check can fail (it compares the header and the body)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from api_support import KEY_A, KEY_B

from api.services.idempotency import Idempotency
from demo.client import DemoError, VitrineClient
from demo.flows import security_checks

if TYPE_CHECKING:
    from fastapi.testclient import TestClient


def _demo_client(client: TestClient) -> VitrineClient:
    demo = VitrineClient(base_url="http://testserver", api_key=KEY_A)
    demo.close()
    demo._http = client  # the app in process (TestClient is an httpx.Client)
    return demo


def test_the_replay_check_passes_when_replay_works(client: TestClient) -> None:
    checks = security_checks(_demo_client(client), "job_x", KEY_B)
    replay = next(c for c in checks if "replayed" in c["check"])
    assert replay["ok"] and replay["type"] == "true"


def test_the_replay_check_fails_when_replay_is_off(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    begin = Idempotency.begin

    def never_replay(self: Idempotency, tenant: str, key: str, request_hash: str) -> None:
        begin(self, tenant, key, request_hash)  # the other checks (a reused key) still hold
        return None

    monkeypatch.setattr(Idempotency, "begin", never_replay)
    with pytest.raises(DemoError, match="replayed"):
        security_checks(_demo_client(client), "job_x", KEY_B)
