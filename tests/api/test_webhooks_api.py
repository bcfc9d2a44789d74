"""Webhooks: a real HTTP receiver on 127.0.0.1 gets a signed event, after a retry."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest
from api_support import A, b64, png, wait_for_job
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from api.adapters.webhooks import deliver_once, send_event
from api.domain.errors import ModelInvocationFailed

if TYPE_CHECKING:
    from pathlib import Path

    from api_support import FakeRuntime
    from fastapi.testclient import TestClient
    from webhook_receiver import Receiver

    from api.settings import Settings


def test_job_webhook_is_a_standard_webhook_retried_after_a_500(
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
    assert receiver.delivered.wait(10)

    assert len(receiver.deliveries) == 2
    (first_headers, _), (headers, raw) = receiver.deliveries
    assert headers["webhook-id"] == first_headers["webhook-id"]  # one event, retried
    # What a receiver does: the standardwebhooks library, the raw body, the headers.
    event = Webhook(settings.webhook_secret.get_secret_value()).verify(raw, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + b64(b"another secret")).verify(raw, headers)
    assert event["type"] == "job.succeeded"
    assert event["data"]["job"]["id"] == job["id"]
    assert event["data"]["job"]["status"] == "succeeded"
    images = event["data"]["job"]["result"]["images"]
    assert images[0]["url"].startswith("http://testserver/v1/files/")


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
    assert receiver.delivered.wait(10)
    event = json.loads(receiver.deliveries[-1][1])
    assert event["type"] == "job.failed"
    assert event["data"]["job"]["error"]["type"].endswith("/model-error")


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


class FakeDns:
    """A resolver that answers ``answers`` in turn (the last one repeats): DNS rebinding."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    def __call__(self, host: str, port: int | None, *args: Any, **kwargs: Any) -> list[Any]:
        self.asked.append(host)
        ip = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        family = socket.AF_INET6 if ":" in ip else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (ip, port or 443))]


def test_connects_to_the_address_it_checked_with_the_name_as_host(
    settings: Settings, receiver: Receiver
) -> None:
    port = receiver.server.server_address[1]
    # Checked once, then the name "rebinds" to the metadata service: never asked again.
    dns = FakeDns("127.0.0.1", "169.254.169.254")
    url = f"http://receiver.test:{port}/hooks"
    assert send_event(settings, url, "job.succeeded", {"job": {}}, resolve=dns)
    assert dns.asked == ["receiver.test"]
    ((headers, _),) = receiver.deliveries
    assert headers["Host"] == f"receiver.test:{port}"


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "169.254.169.254", "10.1.2.3", "::1", "::ffff:127.0.0.1", "fd00::1"]
)
def test_send_time_refuses_names_that_resolve_inside(
    settings: Settings, receiver: Receiver, address: str
) -> None:
    strict = settings.model_copy(update={"webhook_allow_loopback": False})
    port = receiver.server.server_address[1]
    dns = FakeDns(address)
    sleeps: list[float] = []
    url = f"https://hooks.example.com:{port}/hooks"
    assert not send_event(strict, url, "job.failed", {"job": {}}, resolve=dns, sleep=sleeps.append)
    assert dns.asked == ["hooks.example.com"]  # refused once, not retried
    assert sleeps == [] and receiver.deliveries == []


def test_a_loopback_address_is_refused_on_the_aws_profile(
    settings: Settings, receiver: Receiver
) -> None:
    aws = settings.model_copy(update={"profile": "aws"})  # allow_loopback is set, but aws
    dns = FakeDns("127.0.0.1")
    assert not send_event(aws, receiver.url, "job.failed", {"job": {}}, resolve=dns)
    assert receiver.deliveries == []


def test_redirects_are_never_followed(settings: Settings, receiver: Receiver) -> None:
    receiver.statuses = [307]
    receiver.location = "http://127.0.0.1:9/elsewhere"
    sleeps: list[float] = []
    assert not send_event(settings, receiver.url, "job.failed", {"job": {}}, sleep=sleeps.append)
    assert len(receiver.deliveries) == 1 and sleeps == []


def _tls_receiver(tmp_path: Path, name: str) -> tuple[ThreadingHTTPServer, ssl.SSLContext]:
    """An HTTPS receiver on 127.0.0.1 whose certificate names ``name``, and a client
    context that trusts it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            self.rfile.read(int(self.headers["Content-Length"]))
            self.server.seen.append(self.headers["Host"])  # type: ignore[attr-defined]
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.seen = []  # type: ignore[attr-defined]
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert_file, key_file)
    server.socket = server_ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server, ssl.create_default_context(cafile=str(cert_file))


@pytest.mark.parametrize(
    ("cert_name", "delivered"), [("receiver.test", True), ("other.test", False)]
)
def test_https_to_the_checked_address_verifies_the_certificate_for_the_name(
    tmp_path: Path, settings: Settings, cert_name: str, delivered: bool
) -> None:
    import httpx

    server, trust = _tls_receiver(tmp_path, cert_name)
    port = server.server_address[1]
    try:
        with httpx.Client(verify=trust, follow_redirects=False, trust_env=False) as http:
            attempt = deliver_once(
                settings, http, f"https://receiver.test:{port}/hooks", "msg_1", b"{}",
                resolve=FakeDns("127.0.0.1"),
            )  # fmt: skip
        assert attempt.delivered is delivered
        assert server.seen == ([f"receiver.test:{port}"] if delivered else [])  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
