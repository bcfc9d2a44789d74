"""Webhooks: a real HTTP receiver on 127.0.0.1 gets a signed event, after a retry."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest
from api_support import A, b64, png, wait_for_job

from api.adapters.webhooks import EVENT_ID_HEADER, SIGNATURE_HEADER, send_event, verify_signature
from api.domain.errors import ModelInvocationFailed

if TYPE_CHECKING:
    from collections.abc import Iterator

    from api_support import FakeRuntime
    from fastapi.testclient import TestClient

    from api.settings import Settings


class Receiver:
    """Records deliveries; answers the queued statuses in turn, then 200."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.deliveries: list[tuple[dict[str, str], bytes]] = []
        self.done = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.deliveries.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                if status == 200:
                    receiver.done.set()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver()
    yield rec
    rec.server.shutdown()
    rec.server.server_close()


def test_job_webhook_is_signed_and_retried_after_a_500(
    client: TestClient, settings: Settings, receiver: Receiver
) -> None:
    receiver.statuses = [500]
    body = {
        "image": {"base64": b64(png())},
        "garment_prompt": "a linen shirt",
        "callback_url": receiver.url,
    }
    location = client.post("/v1/try-ons", json=body, headers=A).headers["location"]
    job = wait_for_job(client, location, A)
    assert receiver.done.wait(10)

    assert len(receiver.deliveries) == 2
    (first_headers, _), (headers, raw) = receiver.deliveries
    assert headers[EVENT_ID_HEADER] == first_headers[EVENT_ID_HEADER]  # one event, retried
    secret = settings.webhook_secret.get_secret_value()
    assert verify_signature(secret, headers[SIGNATURE_HEADER], raw)
    assert not verify_signature("wrong-secret", headers[SIGNATURE_HEADER], raw)
    event = json.loads(raw)
    assert event["event"] == "job.succeeded"
    assert event["job"]["id"] == job["id"] and event["job"]["status"] == "succeeded"
    assert event["job"]["result"]["images"][0]["url"].startswith("http://testserver/v1/files/")


def test_failed_job_sends_job_failed(
    client: TestClient, runtime: FakeRuntime, receiver: Receiver
) -> None:
    runtime.error = ModelInvocationFailed("boom")
    body = {
        "image": {"base64": b64(png())},
        "garment_prompt": "a shirt",
        "callback_url": receiver.url,
    }
    client.post("/v1/try-ons", json=body, headers=A)
    assert receiver.done.wait(10)
    event = json.loads(receiver.deliveries[-1][1])
    assert event["event"] == "job.failed"
    assert event["job"]["error"]["type"].endswith("/model-error")


def test_gives_up_after_max_attempts_and_not_on_4xx(settings: Settings, receiver: Receiver) -> None:
    receiver.statuses = [503] * 10
    sleeps: list[float] = []
    delivered = send_event(settings, receiver.url, "job.failed", {"job": {}}, sleep=sleeps.append)
    assert not delivered
    assert len(receiver.deliveries) == settings.webhook_max_attempts
    assert len(sleeps) == settings.webhook_max_attempts - 1

    receiver.deliveries.clear()
    receiver.statuses = [410]
    assert not send_event(settings, receiver.url, "job.failed", {"job": {}}, sleep=sleeps.append)
    assert len(receiver.deliveries) == 1


def test_backoff_grows_exponentially_with_jitter(settings: Settings) -> None:
    slow = settings.model_copy(update={"webhook_backoff_seconds": 1.0, "webhook_max_attempts": 4})
    sleeps: list[float] = []
    # Nothing listens on port 9 locally: every attempt is a connection error.
    send_event(slow, "http://127.0.0.1:9/", "job.failed", {"job": {}}, sleep=sleeps.append)
    assert len(sleeps) == 3
    for attempt, delay in enumerate(sleeps):
        assert 2**attempt <= delay <= 2 ** (attempt + 1)
