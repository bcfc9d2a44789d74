"""Idempotency: the same ``Idempotency-Key`` and body get the same response, once.

``(tenant, key)`` is claimed with a SHA-256 of method, path and canonical body. A
finished claim is replayed; a claim with another body is refused (422); one still in
progress is refused (409, ``Retry-After``: the rest of its lease); a 5xx releases the
claim so the client may retry. A claim whose process died mid-request holds its key only
for the lease (``VITRINE_IDEMPOTENCY_LEASE_SECONDS``), then a retry runs.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from api.domain.errors import IdempotencyInProgress, IdempotencyKeyReused, RequestValidationFailed
from api.domain.jobs import utcnow
from api.ports import IdempotencyRecord

if TYPE_CHECKING:
    from api.ports import IdempotencyStore

HEADER = "idempotency-key"
REPLAYED_HEADER = "Idempotent-Replayed"
# Headers worth replaying with the stored body.
STORED_HEADERS = ("content-type", "location")
_KEY = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]{0,253}[\x21-\x7e])?")  # fullmatch: no "$"


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """The answer replayed for a repeated ``Idempotency-Key``."""

    status_code: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def check_key(key: str) -> str:
    """1-255 printable ASCII characters, no surrounding spaces."""
    if not _KEY.fullmatch(key):
        raise RequestValidationFailed("Idempotency-Key must be 1-255 printable ASCII characters")
    return key


def fingerprint(method: str, path: str, body: bytes) -> str:
    """SHA-256 of the request; JSON bodies are canonicalized (key order, spacing)."""
    try:
        canonical = json.dumps(
            json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    except (ValueError, UnicodeDecodeError, RecursionError):
        # Not JSON (or nested too deep to parse): the raw bytes; the route answers 400.
        canonical = body
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), canonical):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


class Idempotency:
    """Claims, replays and releases ``Idempotency-Key``s (the middleware's use case).

    Parameters
    ----------
    store
        The idempotency records.
    ttl_hours
        How long a key is remembered (``VITRINE_IDEMPOTENCY_TTL_HOURS``).
    lease_seconds
        How long an unfinished claim blocks its key (``VITRINE_IDEMPOTENCY_LEASE_SECONDS``;
        the store enforces it, this use case tells clients when to retry).
    """

    def __init__(
        self, *, store: IdempotencyStore, ttl_hours: float, lease_seconds: float = 60
    ) -> None:
        self._store = store
        self._ttl = timedelta(hours=ttl_hours)
        self._lease = timedelta(seconds=lease_seconds)

    def begin(self, tenant: str, key: str, request_hash: str) -> StoredResponse | None:
        """Claim the key (``None``: go ahead), or return the stored response to replay."""
        record = IdempotencyRecord(
            tenant=tenant, key=key, request_hash=request_hash, expires_at=utcnow() + self._ttl
        )
        existing = self._store.claim(record)
        if existing is None:
            return None
        if existing.request_hash != request_hash:
            raise IdempotencyKeyReused("this Idempotency-Key was used with a different request")
        if existing.status_code is None:
            raise IdempotencyInProgress(
                "a request with this Idempotency-Key is still running",
                retry_after=self._retry_after(existing),
            )
        return StoredResponse(existing.status_code, existing.body, dict(existing.headers))

    def _retry_after(self, claim: IdempotencyRecord) -> int:
        """Whole seconds until ``claim``'s lease ends (at least 1)."""
        if claim.claimed_at is None:
            return max(1, math.ceil(self._lease.total_seconds()))
        left = (claim.claimed_at + self._lease - utcnow()).total_seconds()
        return max(1, math.ceil(left))

    def end(self, tenant: str, key: str, response: StoredResponse | None) -> None:
        """Store the response for replays; release the claim on a 5xx or a crash (``None``)."""
        if response is None or response.status_code >= 500:
            self._store.release(tenant, key)
            return
        headers = {k: v for k, v in response.headers.items() if k in STORED_HEADERS}
        self._store.complete(
            tenant, key, status_code=response.status_code, body=response.body, headers=headers
        )
