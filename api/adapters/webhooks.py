"""``WebhookSender`` over httpx: signed POSTs to a client's ``callback_url``.

Signature header: ``Vitrine-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``.
The timestamp is inside the MAC, so receivers can refuse replays outside a window
(``verify_signature``). Each event keeps one ``Vitrine-Event-Id`` across retries, so
receivers can also drop duplicates. Both profiles use this adapter. httpx is imported
on the first send: the API Lambda's request path rarely sends one (cold-start budget).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import random
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from api.domain.jobs import new_id

if TYPE_CHECKING:
    from collections.abc import Callable

    import httpx

    from api.settings import Settings

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "Vitrine-Signature"
EVENT_ID_HEADER = "Vitrine-Event-Id"
_MAX_BACKOFF_S = 30.0


class HttpWebhookSender:
    """The ``WebhookSender`` port: ``send_event`` with the deployment's settings.

    Parameters
    ----------
    settings
        The signing secret, attempts, backoff and timeout (``VITRINE_WEBHOOK_*``).
    sleep
        Waits between attempts; tests pass a recorder.
    """

    def __init__(self, settings: Settings, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self._settings = settings
        self._sleep = sleep

    def send(self, url: str, event: str, data: dict[str, Any]) -> bool:
        return send_event(self._settings, url, event, data, sleep=self._sleep)


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The ``Vitrine-Signature`` header value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify_signature(
    secret: str, header: str, body: bytes, tolerance_s: int = 300, *, now: float | None = None
) -> bool:
    """For receivers: ``True`` if ``header`` signs ``body`` and is recent enough.

    ``body`` must be the raw request body, byte for byte, not re-serialized JSON.
    """
    fields: dict[str, list[str]] = {}
    for part in header.split(","):
        name, sep, value = part.strip().partition("=")
        if sep:
            fields.setdefault(name, []).append(value)
    stamps = fields.get("t", [])
    if len(stamps) != 1 or not stamps[0].isdigit():
        return False
    timestamp = int(stamps[0])
    if abs((time.time() if now is None else now) - timestamp) > tolerance_s:
        return False
    expected = sign(secret, body, timestamp).partition(",v1=")[2]
    return any(hmac.compare_digest(expected, given) for given in fields.get("v1", []))


def send_event(
    settings: Settings,
    url: str,
    event: str,
    data: dict[str, Any],
    *,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """POST ``{"event": event, **data}`` with retries; ``True`` once delivered.

    Retried: connection errors, timeouts, 5xx and 429, with exponential backoff and
    jitter, up to ``webhook_max_attempts``. Other answers (e.g. 4xx) are final. Never
    raises: a receiver's trouble must not change the job.
    """
    import httpx  # deferred: see the module docstring

    body = json.dumps({"event": event, **data}, separators=(",", ":")).encode()
    event_id = new_id("evt")
    secret = settings.webhook_secret.get_secret_value()
    attempts = settings.webhook_max_attempts
    owned = client is None
    http = client or httpx.Client(timeout=settings.webhook_timeout_seconds, follow_redirects=False)
    try:
        for attempt in range(1, attempts + 1):
            headers = {
                "Content-Type": "application/json",
                "User-Agent": "Vitrine-Webhooks/1",
                SIGNATURE_HEADER: sign(secret, body, int(time.time())),
                EVENT_ID_HEADER: event_id,
            }
            try:
                status = http.post(url, content=body, headers=headers).status_code
            except httpx.HTTPError as exc:
                outcome, retry = f"{type(exc).__name__}", True
            else:
                if 200 <= status < 300:
                    log.info("webhook %s %s delivered (attempt %d)", event_id, event, attempt)
                    return True
                outcome, retry = f"HTTP {status}", status >= 500 or status == 429
            if not retry or attempt == attempts:
                log.warning(
                    "webhook %s %s to %s given up after %d attempt(s): %s",
                    event_id,
                    event,
                    urlsplit(url).hostname,
                    attempt,
                    outcome,
                )
                return False
            base = settings.webhook_backoff_seconds * 2 ** (attempt - 1)
            sleep(min(base + random.uniform(0, base), _MAX_BACKOFF_S))
    finally:
        if owned:
            http.close()
    return False
