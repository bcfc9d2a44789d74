"""Per-tenant webhook secrets (issue 16): created and rotated through the API, shown once,
old and new both valid for a grace period; deliveries verified with the
``standardwebhooks`` library, as a receiver would."""

from __future__ import annotations

import json
import stat
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from api_support import TENANT_A, A, B, FakeRuntime, b64, make_settings, png, wait_for_job
from fastapi.testclient import TestClient
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from api.adapters.local.sqlite import Database
from api.adapters.local.webhook_secrets import SqliteWebhookSecretStore
from api.adapters.local.wiring import build
from api.adapters.webhooks import deliver_once, signed_headers
from api.app import create_app
from api.domain.errors import Conflict
from api.domain.jobs import utcnow
from api.domain.webhook_secrets import MAX_PREVIOUS, TenantSecrets

if TYPE_CHECKING:
    from webhook_receiver import Receiver

    from api.settings import Settings

PATH = "/v1/webhook-secrets"


def try_on(callback: str) -> dict[str, Any]:
    return {
        "image": {"base64": b64(png())},
        "garment_prompt": "a linen shirt",
        "callback_url": callback,
    }


def delivery(client: TestClient, receiver: Receiver, headers: dict[str, str]) -> Any:
    """Run a job with a callback; the delivery's (headers, raw body)."""
    receiver.delivered.clear()
    count = len(receiver.deliveries)
    location = client.post("/v1/try-ons", json=try_on(receiver.url), headers=headers).headers[
        "location"
    ]
    wait_for_job(client, location, headers)
    assert receiver.delivered.wait(10)
    assert len(receiver.deliveries) == count + 1
    return receiver.deliveries[-1]


def verifies(secret: str, sent: tuple[dict[str, str], bytes]) -> bool:
    headers, raw = sent
    try:
        Webhook(secret).verify(raw, headers)
    except WebhookVerificationError:
        return False
    return True


def test_the_secret_is_shown_once_and_listed_as_metadata_only(client: TestClient) -> None:
    before = client.get(PATH, headers=A).json()
    assert before == {"signed_with": "deployment", "current_id": None, "created_at": None,
                      "previous": []}  # fmt: skip

    created = client.post(PATH, headers=A)
    assert created.status_code == 201
    assert created.headers["cache-control"] == "no-store"
    body = created.json()
    assert body["secret"].startswith("whsec_") and body["id"].startswith("whs_")
    # The deployment's secret keeps signing for the grace period (receivers switch over).
    (grace,) = body["previous"]
    assert grace["id"] == "deployment"

    listed = client.get(PATH, headers=A)
    assert listed.json()["signed_with"] == "tenant"
    assert listed.json()["current_id"] == body["id"]
    assert "whsec_" not in listed.text and body["secret"] not in listed.text


def test_tenants_never_see_each_others_secrets(client: TestClient) -> None:
    a = client.post(PATH, headers=A).json()
    assert client.get(PATH, headers=B).json()["signed_with"] == "deployment"
    b = client.post(PATH, headers=B).json()
    assert a["secret"] != b["secret"] and a["id"] != b["id"]
    assert client.get(PATH, headers=A).json()["current_id"] == a["id"]
    assert client.get(PATH, headers=B).json()["current_id"] == b["id"]
    assert client.get(PATH).status_code == 401
    assert client.post(PATH).status_code == 401


def test_deliveries_are_signed_with_the_tenants_secrets_during_the_grace_period(
    client: TestClient, settings: Settings, receiver: Receiver
) -> None:
    deployment = settings.webhook_secret.get_secret_value()
    assert verifies(deployment, delivery(client, receiver, A))  # no secret of its own yet

    first = client.post(PATH, headers=A).json()["secret"]
    sent = delivery(client, receiver, A)
    assert verifies(first, sent) and verifies(deployment, sent)  # grace: both sign

    second = client.post(PATH, headers=A).json()["secret"]
    sent = delivery(client, receiver, A)
    assert all(verifies(s, sent) for s in (second, first, deployment))
    assert len(sent[0]["webhook-signature"].split(" ")) == 3
    # Another tenant's secret never verifies this tenant's events, nor theirs ours.
    other = client.post(PATH, headers=B).json()["secret"]
    assert not verifies(other, sent)
    assert not verifies(second, delivery(client, receiver, B))


def test_after_the_grace_period_only_the_current_secret_signs(
    tmp_path: Path, receiver: Receiver
) -> None:
    settings = make_settings(tmp_path, webhook_secret_grace_hours=0.5 / 3600)  # half a second
    adapters = build(settings, runtime=FakeRuntime().bind)
    with TestClient(create_app(settings, adapters)) as client:
        old = client.post(PATH, headers=A).json()["secret"]
        new = client.post(PATH, headers=A).json()["secret"]
        time.sleep(0.6)
        assert client.get(PATH, headers=A).json()["previous"] == []
        sent = delivery(client, receiver, A)
        assert verifies(new, sent)
        assert not verifies(old, sent)
        assert not verifies(settings.webhook_secret.get_secret_value(), sent)
    adapters.close()


def test_a_secret_is_never_kept_for_an_idempotent_replay(
    client: TestClient, settings: Settings
) -> None:
    key = {**A, "Idempotency-Key": "rotate-1"}
    first = client.post(PATH, headers=key)
    again = client.post(PATH, headers=key)
    assert first.status_code == again.status_code == 201
    assert "idempotent-replayed" not in again.headers
    assert first.json()["secret"] != again.json()["secret"]  # ran again: a further rotation
    # ... which keeps the first one valid for the grace period.
    assert first.json()["id"] in [p["id"] for p in again.json()["previous"]]
    db = Database(settings.data_dir / "vitrine.db")
    try:
        stored = db.query("SELECT body FROM idempotency")
        assert all(b"whsec_" not in bytes(row["body"]) for row in stored)
    finally:
        db.close()


def test_secrets_at_rest_are_readable_by_their_owner_only(
    client: TestClient, settings: Settings
) -> None:
    secret = client.post(PATH, headers=A).json()["secret"]
    database = settings.data_dir / "vitrine.db"
    for path in (database, database.with_name("vitrine.db-wal")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    store = SqliteWebhookSecretStore(Database(database))
    record = store.get(TENANT_A, values=True)
    assert record is not None and record.current.value == secret


def test_a_concurrent_rotation_loses_with_a_conflict(tmp_path: Path) -> None:
    store = SqliteWebhookSecretStore(Database(tmp_path / "v.db"))
    now, grace = utcnow(), timedelta(hours=1)
    first = TenantSecrets.first("t", now=now, grace=grace)
    store.put(first, replaces=None)
    with pytest.raises(Conflict):
        store.put(TenantSecrets.first("t", now=now, grace=grace), replaces=None)
    winner, loser = first.rotated(now=now, grace=grace), first.rotated(now=now, grace=grace)
    store.put(winner, replaces=first.current.id)
    with pytest.raises(Conflict):
        store.put(loser, replaces=first.current.id)
    assert store.get("t", values=True) == winner
    assert store.get("other") is None


def test_rotations_keep_a_bounded_number_of_previous_secrets() -> None:
    now, grace = utcnow(), timedelta(hours=1)
    record = TenantSecrets.first("t", now=now, grace=grace)
    for _ in range(MAX_PREVIOUS + 3):
        record = record.rotated(now=now, grace=grace)
    assert len(record.previous) == MAX_PREVIOUS
    assert len(record.signing(now)) == MAX_PREVIOUS + 1
    assert record.signing(now + grace) == [record.current]


def test_several_signatures_verify_with_the_standardwebhooks_library() -> None:
    keys = ["whsec_" + b64(b"k" * 32), "whsec_" + b64(b"j" * 32)]
    body = json.dumps({"type": "job.succeeded"}).encode()
    headers = signed_headers(keys, "msg_1", int(time.time()), body)
    assert headers["webhook-signature"].count("v1,") == 2
    for key in keys:
        assert Webhook(key).verify(body, headers) == {"type": "job.succeeded"}
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + b64(b"x" * 32)).verify(body, headers)
    for unusable in ([], ["", keys[0]]):  # a lost value never signs with an empty key
        with pytest.raises(ValueError):
            signed_headers(unusable, "msg_1", int(time.time()), body)
        with httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200))) as http:
            attempt = deliver_once(
                make_settings(Path("unused")), http, "https://hooks.example.com/x", "msg_1",
                body, secrets=unusable,
            )  # fmt: skip
        assert (attempt.delivered, attempt.retry) == (False, True)  # nothing sent, retried
