"""Issue 16, findings 5 and 6: Idempotency-Key after a crash; deeply nested JSON.

5: a crashed request's key is locked for a bounded lease only, with Retry-After.
6: deeply nested JSON (with or without Idempotency-Key) is ``malformed-json``, not a 500.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from api_support import TENANT_A, A, FakeRuntime, make_settings, problem_type
from fastapi.testclient import TestClient

from api.adapters.local.wiring import build
from api.app import create_app
from api.domain.jobs import utcnow
from api.ports import IdempotencyRecord
from api.services.idempotency import fingerprint

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from api.ports import Adapters

DESCRIBE = {"product_type": "dress", "attributes": {"color": "blue"}}


# --- 5: a crashed request's key ---
@pytest.fixture
def short_lease(tmp_path: Path) -> Iterator[tuple[TestClient, Adapters]]:
    settings = make_settings(tmp_path, idempotency_lease_seconds=2)
    adapters = build(settings, runtime=FakeRuntime().bind)
    with TestClient(create_app(settings, adapters), raise_server_exceptions=False) as client:
        yield client, adapters
    adapters.close()


def _crashed_claim(adapters: Adapters, key: str, body: dict[str, Any]) -> None:
    """What a request killed mid-way leaves: a claim that never completes."""
    request_hash = fingerprint("POST", "/v1/descriptions", json.dumps(body).encode())
    claimed = adapters.idempotency.claim(
        IdempotencyRecord(
            tenant=TENANT_A, key=key, request_hash=request_hash,
            expires_at=utcnow() + timedelta(hours=1),
        )
    )  # fmt: skip
    assert claimed is None


def test_a_crashed_requests_key_is_free_again_after_a_bounded_lease(
    short_lease: tuple[TestClient, Adapters],
) -> None:
    client, adapters = short_lease
    _crashed_claim(adapters, "crashed-1", DESCRIBE)
    headers = {**A, "Idempotency-Key": "crashed-1"}

    busy = client.post("/v1/descriptions", json=DESCRIBE, headers=headers)
    assert busy.status_code == 409 and problem_type(busy) == "idempotency-in-progress"
    retry_after = int(busy.headers["retry-after"])
    assert 1 <= retry_after <= 2

    time.sleep(2.1)
    retried = client.post("/v1/descriptions", json=DESCRIBE, headers=headers)
    assert retried.status_code == 200, retried.text
    replayed = client.post("/v1/descriptions", json=DESCRIBE, headers=headers)
    assert replayed.headers["idempotent-replayed"] == "true"
    assert replayed.content == retried.content


def test_the_default_lease_is_bounded_by_the_longest_request() -> None:
    from api.settings import Settings

    # The API Lambda stops at 29 s; locally, a minute. Never the old 15 minutes.
    assert Settings().idempotency_lease_seconds <= 120


# --- 6: deep JSON ---
DEEP = ("[" * 1000 + "]" * 1000).encode()


@pytest.mark.parametrize("with_key", [True, False])
def test_deeply_nested_json_is_malformed_json_not_a_500(client: TestClient, with_key: bool) -> None:
    headers = {**A, "Content-Type": "application/json"}
    if with_key:
        headers["Idempotency-Key"] = "deep-1"
    response = client.post("/v1/descriptions", content=DEEP, headers=headers)
    assert response.status_code == 400, response.text
    assert problem_type(response) == "malformed-json"
    # The connection still serves the next request.
    after = client.post("/v1/descriptions", json=DESCRIBE, headers=A)
    assert after.status_code == 200


# --- the answer and its record: a client that retries at once gets the replay ---
def test_the_answer_is_sent_only_once_it_is_stored_for_replays(
    short_lease: tuple[TestClient, Adapters],
) -> None:
    """Sending first and storing after let a retry made the moment the answer arrived
    hit the unfinished claim (409 in progress) — seen under load in the demo."""
    client, adapters = short_lease
    body = json.dumps(DESCRIBE).encode()
    request_hash = fingerprint("POST", "/v1/descriptions", body)
    seen: list[int | None] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            # What a retry would find now, as the client gets the status line.
            existing = adapters.idempotency.claim(
                IdempotencyRecord(
                    tenant=TENANT_A, key="answered-1", request_hash=request_hash,
                    expires_at=utcnow() + timedelta(hours=1),
                )
            )  # fmt: skip
            seen.append(None if existing is None else existing.status_code)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/v1/descriptions", "raw_path": b"/v1/descriptions",
        "query_string": b"", "root_path": "", "server": ("testserver", 80),
        "client": ("127.0.0.1", 5000),
        "headers": [(k.lower().encode(), v.encode()) for k, v in
                    {**A, "Idempotency-Key": "answered-1",
                     "content-type": "application/json"}.items()],
    }  # fmt: skip
    assert client.portal is not None
    client.portal.call(client.app, scope, receive, send)  # type: ignore[arg-type]
    assert seen == [200]
