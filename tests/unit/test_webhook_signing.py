"""Webhook signatures: Standard Webhooks (callback URL rules: ``test_callback_urls.py``).

Checked with the ``standardwebhooks`` library a receiver would use, not with our own code.
"""

from __future__ import annotations

import base64
import json
import time
from datetime import datetime

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from api.adapters.webhooks import event_body, signed_headers, signing_key

SECRET = "whsec_" + base64.b64encode(b"k" * 32).decode()


def test_headers_verify_with_the_standard_webhooks_library() -> None:
    now = int(time.time())  # per test: receivers refuse stale timestamps
    body = event_body("job.succeeded", {"job": {"id": "job_1"}}, now)
    headers = signed_headers(SECRET, "msg_1", now, body)
    assert headers["webhook-id"] == "msg_1"
    assert headers["webhook-timestamp"] == str(now)
    assert headers["webhook-signature"].startswith("v1,")
    payload = Webhook(SECRET).verify(body, headers)
    assert payload["type"] == "job.succeeded"
    assert payload["data"] == {"job": {"id": "job_1"}}
    assert datetime.fromisoformat(payload["timestamp"]).timestamp() == now


def test_tampered_body_id_or_wrong_secret_fail() -> None:
    now = int(time.time())  # per test: receivers refuse stale timestamps
    body = event_body("job.failed", {"job": {}}, now)
    headers = signed_headers(SECRET, "msg_1", now, body)
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(body + b" ", headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(body, {**headers, "webhook-id": "msg_2"})
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + base64.b64encode(b"x" * 32).decode()).verify(body, headers)


def test_old_timestamps_are_refused_by_receivers() -> None:
    now = int(time.time())  # per test: receivers refuse stale timestamps
    body = event_body("job.failed", {"job": {}}, now - 600)
    headers = signed_headers(SECRET, "msg_1", now - 600, body)
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(body, headers)


def test_whsec_secrets_are_base64_keys_and_others_their_bytes() -> None:
    now = int(time.time())  # per test: receivers refuse stale timestamps
    assert signing_key(SECRET) == b"k" * 32
    assert signing_key("not-a-whsec-secret") == b"not-a-whsec-secret"
    body = event_body("job.failed", {"job": {}}, now)
    headers = signed_headers("plain secret", "msg_1", now, body)
    Webhook(b"plain secret").verify(body, headers)


def test_the_body_is_compact_json() -> None:
    now = int(time.time())  # per test: receivers refuse stale timestamps
    body = event_body("job.failed", {"job": {"id": "é"}}, now)
    assert json.loads(body)["data"]["job"]["id"] == "é"
    assert b" " not in body
