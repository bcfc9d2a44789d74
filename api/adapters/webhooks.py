"""``WebhookSender`` over httpx: Standard Webhooks POSTs to a client's ``callback_url``.

The format is Standard Webhooks (https://www.standardwebhooks.com, as Svix, OpenAI and
Replicate send): headers ``webhook-id`` (one per event, kept across retries: receivers drop
duplicates by it), ``webhook-timestamp`` (unix seconds of the attempt) and
``webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">``, signed with the
``standardwebhooks`` library; the body is ``{"type", "timestamp", "data"}``. Receivers
verify with the same library (README "Webhooks"). Both profiles use this adapter. httpx
and the signing library are imported on the first send: the API Lambda's request path
rarely sends one (cold-start budget).

Server-side request forgery, the send-time half (``api/services/webhooks.py`` checks the
URL at submission): each attempt resolves the host once, refuses the delivery if any
address is not global (v4, v6, v4-mapped; loopback only where the local profile allows
it), then connects to the address it checked, with the name as ``Host`` and TLS server
name (a second lookup could answer differently: DNS rebinding). Redirects are never
followed, and proxies from the environment are not used.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import logging
import random
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from api.domain.jobs import new_id
from api.domain.network import is_global_address, is_loopback_address
from api.domain.webhook_secrets import DEPLOYMENT_SECRET_ID

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import httpx

    from api.ports import WebhookSecretStore
    from api.settings import Settings

    # ``socket.getaddrinfo``'s shape; tests pass a fake DNS.
    Resolver = Callable[..., Sequence[tuple[Any, ...]]]

log = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"
_MAX_BACKOFF_S = 30.0
_OUTBOX_GROWTH = 4.0


def backoff_seconds(settings: Settings, attempts: int) -> float:
    """The outbox's wait after the ``attempts``-th failed attempt (both profiles):
    ``webhook_backoff_seconds`` times 4 per attempt, capped at
    ``webhook_outbox_max_backoff_seconds``, then jittered down by up to a quarter
    (receivers that come back are not hit all at once)."""
    cap = settings.webhook_outbox_max_backoff_seconds
    base = min(cap, settings.webhook_backoff_seconds * _OUTBOX_GROWTH ** (attempts - 1))
    return max(base * random.uniform(0.75, 1.0), 0.05)


class HttpWebhookSender:
    """The ``WebhookSender`` port: ``send_event`` with the deployment's settings.

    Parameters
    ----------
    settings
        The signing secret, attempts, backoff and timeout (``VITRINE_WEBHOOK_*``).
    sleep
        Waits between attempts; tests pass a recorder.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        resolve: Resolver = socket.getaddrinfo,
    ) -> None:
        self._settings = settings
        self._sleep = sleep
        self._resolve = resolve

    def send(self, url: str, event: str, data: dict[str, Any]) -> bool:
        return send_event(
            self._settings, url, event, data, sleep=self._sleep, resolve=self._resolve
        )


class RefusedAddress(Exception):
    """The callback's host resolves to an address a webhook must not reach."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where one attempt connects: the checked address, and the URL's name for
    ``Host`` and TLS (SNI and certificate check)."""

    url: str
    host_header: str
    sni_hostname: str | None


def checked_target(url: str, *, allow_loopback: bool, resolve: Resolver) -> Target:
    """Resolve ``url``'s host once and pin it: raise ``RefusedAddress`` if any of its
    addresses is not global (loopback passes when ``allow_loopback``), ``OSError`` when
    it does not resolve."""
    import httpx  # deferred: see the module docstring

    parsed = httpx.URL(url)
    host = parsed.host
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    infos = resolve(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    addresses = [ipaddress.ip_address(str(info[4][0]).partition("%")[0]) for info in infos]
    if not addresses:
        raise OSError(f"{host} has no address")
    for address in addresses:
        if not (is_global_address(address) or (allow_loopback and is_loopback_address(address))):
            raise RefusedAddress(f"{host} resolves to a non-global address")
    pinned = parsed.copy_with(host=str(addresses[0]))
    default_port = parsed.port is None
    return Target(
        url=str(pinned),
        host_header=host if default_port else f"{host}:{port}",
        sni_hostname=host if parsed.scheme == "https" else None,
    )


def signing_key(secret: str) -> bytes:
    """The HMAC key of a secret: a ``whsec_`` secret is the base64 of its key (the
    Standard Webhooks convention); any other secret is its UTF-8 bytes."""
    if secret.startswith(SECRET_PREFIX):
        return base64.b64decode(secret.removeprefix(SECRET_PREFIX) + "==")
    return secret.encode()


def event_body(event: str, data: dict[str, Any], timestamp: int) -> bytes:
    """The Standard Webhooks payload: ``{"type", "timestamp" (ISO 8601), "data"}``."""
    occurred = datetime.fromtimestamp(timestamp, UTC).isoformat().replace("+00:00", "Z")
    payload = {"type": event, "timestamp": occurred, "data": data}
    return json.dumps(payload, separators=(",", ":")).encode()


def signed_headers(
    secrets: str | Sequence[str], msg_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` (``v1,<base64
    HMAC-SHA256 of "id.timestamp.body">``), signed by the ``standardwebhooks`` library.

    Several secrets (a rotation's grace period) give several space-separated signatures,
    as the specification allows; receivers accept the delivery when one verifies.
    """
    from standardwebhooks.webhooks import Webhook  # deferred: see the module docstring

    moment = datetime.fromtimestamp(timestamp, UTC)
    keys = [secrets] if isinstance(secrets, str) else list(dict.fromkeys(secrets))
    if not keys or not all(keys):  # never an HMAC under an empty key
        raise ValueError("a webhook needs at least one signing secret, none of them empty")
    signatures = [Webhook(signing_key(key)).sign(msg_id, moment, body.decode()) for key in keys]
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signatures),
    }


def tenant_signing_secrets(
    store: WebhookSecretStore, settings: Settings, tenant: str, *, now: datetime | None = None
) -> list[str]:
    """The secrets that sign ``tenant``'s deliveries now: its current secret and those in
    their grace period, or the deployment's secret while it has none of its own
    (``api/domain/webhook_secrets.py``)."""
    deployment = settings.webhook_secret.get_secret_value
    record = store.get(tenant, values=True)
    if record is None:
        return [deployment()]
    signing = record.signing(now or datetime.now(UTC))
    return [s.value if s.id != DEPLOYMENT_SECRET_ID else deployment() for s in signing]


@dataclass(frozen=True, slots=True)
class Attempt:
    """One delivery attempt: delivered, or why not and whether a retry may succeed."""

    delivered: bool
    retry: bool = False
    outcome: str = "delivered"


def deliver_once(
    settings: Settings,
    http: httpx.Client,
    url: str,
    msg_id: str,
    body: bytes,
    *,
    resolve: Resolver = socket.getaddrinfo,
    secrets: Sequence[str] | None = None,
) -> Attempt:
    """One signed POST of ``body`` to ``url``'s checked address; never raises.

    Signed with ``secrets`` (the tenant's: ``tenant_signing_secrets``), else with the
    deployment's secret. Worth a retry: resolution and connection errors, timeouts, 5xx
    and 429. Final: other answers (4xx; 3xx, never followed) and a host that resolves to a
    refused address.
    """
    import httpx  # deferred: see the module docstring

    keys = secrets if secrets is not None else [settings.webhook_secret.get_secret_value()]
    try:
        signed = signed_headers(keys, msg_id, int(time.time()), body)
    except ValueError:  # a secret's value is missing: never send unsigned; retried later
        log.error("webhook %s has no usable signing secret", msg_id)
        return Attempt(False, retry=True, outcome="no signing secret")
    headers = {"Content-Type": "application/json", "User-Agent": "Vitrine-Webhooks/1", **signed}
    try:
        target = checked_target(
            url, allow_loopback=settings.callback_loopback_allowed(), resolve=resolve
        )
        extensions = {"sni_hostname": target.sni_hostname} if target.sni_hostname else {}
        status = http.post(
            target.url,
            content=body,
            headers={**headers, "Host": target.host_header},
            extensions=extensions,
        ).status_code
    except RefusedAddress as exc:
        return Attempt(False, retry=False, outcome=str(exc))
    except (httpx.HTTPError, OSError) as exc:
        return Attempt(False, retry=True, outcome=type(exc).__name__)
    if 200 <= status < 300:
        return Attempt(True)
    return Attempt(False, retry=status >= 500 or status == 429, outcome=f"HTTP {status}")


def client(settings: Settings) -> httpx.Client:
    """The HTTP client for deliveries: no redirects, no proxies from the environment."""
    import httpx  # deferred: see the module docstring

    return httpx.Client(
        timeout=settings.webhook_timeout_seconds, follow_redirects=False, trust_env=False
    )


def send_event(
    settings: Settings,
    url: str,
    event: str,
    data: dict[str, Any],
    *,
    http_client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
    resolve: Resolver = socket.getaddrinfo,
) -> bool:
    """POST the event (``event_body``) with retries; ``True`` once delivered.

    ``deliver_once`` says what is retried: up to ``webhook_max_attempts``, with exponential
    backoff and jitter; one ``webhook-id`` across them. Never raises: a receiver's trouble
    must not change the job.
    """
    now = int(time.time())
    body = event_body(event, data, now)
    msg_id = new_id("msg")
    attempts = settings.webhook_max_attempts
    http = http_client or client(settings)
    try:
        for attempt in range(1, attempts + 1):
            result = deliver_once(settings, http, url, msg_id, body, resolve=resolve)
            if result.delivered:
                log.info("webhook %s %s delivered (attempt %d)", msg_id, event, attempt)
                return True
            if not result.retry or attempt == attempts:
                log.warning(
                    "webhook %s %s to %s given up after %d attempt(s): %s",
                    msg_id,
                    event,
                    urlsplit(url).hostname,
                    attempt,
                    result.outcome,
                )
                return False
            base = settings.webhook_backoff_seconds * 2 ** (attempt - 1)
            sleep(min(base + random.uniform(0, base), _MAX_BACKOFF_S))
    finally:
        if http_client is None:
            http.close()
    return False
