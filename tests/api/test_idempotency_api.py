"""Idempotency-Key on POSTs: replay, reuse, in-progress, 5xx release, per tenant."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from api_support import TENANT_A, TENANT_B, A, B, b64, png, problem_type

from api.domain.errors import ModelInvocationFailed
from api.domain.jobs import utcnow
from api.ports import IdempotencyRecord
from api.services.idempotency import fingerprint

if TYPE_CHECKING:
    from api_support import FakeRuntime
    from fastapi.testclient import TestClient

    from api.ports import Adapters

BODY: dict[str, Any] = {"image": {"base64": b64(png())}, "garment_prompt": "a yellow shirt"}


def post(client: TestClient, body: dict[str, Any], key: str, headers: dict[str, str] = A) -> Any:
    return client.post("/v1/try-ons", json=body, headers={**headers, "Idempotency-Key": key})


def test_same_key_same_body_replays_without_a_second_job(
    client: TestClient, container: Adapters
) -> None:
    first = post(client, BODY, "order-1")
    second = post(client, dict(reversed(BODY.items())), "order-1")  # same JSON, other order
    assert first.status_code == second.status_code == 202
    assert second.json() == first.json()
    assert second.headers["location"] == first.headers["location"]
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert len(container.jobs.list(TENANT_A)) == 1


def test_same_key_other_body_is_422(client: TestClient, container: Adapters) -> None:
    post(client, BODY, "order-2")
    response = post(client, {**BODY, "n": 2}, "order-2")
    assert response.status_code == 422 and problem_type(response) == "idempotency-key-reused"
    assert len(container.jobs.list(TENANT_A)) == 1


def test_in_progress_is_409(client: TestClient, container: Adapters) -> None:
    # Given another request holding the key (claimed, not completed)...
    request_hash = fingerprint("POST", "/v1/try-ons", json.dumps(BODY).encode())
    container.idempotency.claim(
        IdempotencyRecord(
            tenant=TENANT_A,
            key="order-3",
            request_hash=request_hash,
            expires_at=utcnow() + timedelta(hours=1),
        )
    )
    # ...the same request with the same key waits its turn.
    response = post(client, BODY, "order-3")
    assert response.status_code == 409 and problem_type(response) == "idempotency-in-progress"
    assert container.jobs.list(TENANT_A) == []


def test_keys_are_per_tenant(client: TestClient, container: Adapters) -> None:
    first, other = post(client, BODY, "shared-key"), post(client, BODY, "shared-key", B)
    assert first.status_code == other.status_code == 202
    assert first.json()["id"] != other.json()["id"]
    assert len(container.jobs.list(TENANT_A)) == len(container.jobs.list(TENANT_B)) == 1


def test_a_5xx_releases_the_key(client: TestClient, runtime: FakeRuntime) -> None:
    body = {"image": {"base64": b64(png())}, "prompts": ["shirt"]}
    headers = {**A, "Idempotency-Key": "seg-1"}
    runtime.error = ModelInvocationFailed("endpoint 500")
    failed = client.post("/v1/segmentations", json=body, headers=headers)
    assert failed.status_code == 502
    runtime.error = None
    retried = client.post("/v1/segmentations", json=body, headers=headers)
    assert retried.status_code == 200 and "idempotent-replayed" not in retried.headers
    assert runtime.models_called() == ["clipseg", "clipseg"]


def test_a_4xx_is_replayed_too(client: TestClient, container: Adapters) -> None:
    bad = {**BODY, "garment_prompt": " "}
    first, second = post(client, bad, "bad-1"), post(client, bad, "bad-1")
    assert first.status_code == second.status_code == 422
    assert second.headers["idempotent-replayed"] == "true"
    assert second.headers["content-type"] == "application/problem+json"


def test_invalid_keys_are_refused(client: TestClient) -> None:
    for key in ("x" * 256, " padded "):
        response = post(client, BODY, key)
        assert response.status_code == 422 and problem_type(response) == "validation-error"


def test_an_unexpected_crash_releases_the_key_too(client: TestClient, runtime: FakeRuntime) -> None:
    body = {"image": {"base64": b64(png())}, "prompts": ["shirt"]}
    headers = {**A, "Idempotency-Key": "seg-2"}
    runtime.error = RuntimeError("bug")
    crashed = client.post("/v1/segmentations", json=body, headers=headers)
    assert crashed.status_code == 500 and problem_type(crashed) == "internal-error"
    assert "bug" not in crashed.text
    runtime.error = None
    assert client.post("/v1/segmentations", json=body, headers=headers).status_code == 200
