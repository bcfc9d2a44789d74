"""Per-tenant webhook signing secrets: which secrets sign a tenant's deliveries.

A tenant creates (or rotates) its secret through the API and sees it once. Deliveries are
signed with its current secret and, during a grace period after a rotation, with every
secret it replaced (Standard Webhooks sends several space-separated ``v1,…``
signatures; a receiver accepts the delivery when one matches), so a receiver switches
to the new secret at its own pace. A tenant that never created one is signed with the
deployment's secret (``VITRINE_WEBHOOK_SECRET``), and that secret too stays valid for the
grace period after the tenant's first secret: the same migration path. Once the grace
ends, only the tenant's own secret signs its events: nobody else holds it, so no other
tenant can forge them.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from api.domain.jobs import new_id

if TYPE_CHECKING:
    from datetime import timedelta

SECRET_PREFIX = "whsec_"
# The id under which the deployment's secret appears among a tenant's earlier secrets.
DEPLOYMENT_SECRET_ID = "deployment"
# Earlier secrets kept at most (still in their grace period): bounds the signature header.
MAX_PREVIOUS = 3
_KEY_BYTES = 32  # HMAC-SHA256's block-sized key, as Svix generates them


def generate_secret() -> str:
    """A new Standard Webhooks secret: ``whsec_`` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(_KEY_BYTES)).decode()


@dataclass(frozen=True, slots=True)
class SigningSecret:
    """One secret of a tenant: ``value`` is ``whsec_…`` (empty for the deployment's)."""

    id: str
    value: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RetiredSecret:
    """A replaced secret, still signing until ``valid_until`` (the grace period)."""

    secret: SigningSecret
    valid_until: datetime


@dataclass(frozen=True, slots=True)
class TenantSecrets:
    """A tenant's current secret and the ones it replaced that are still in grace."""

    tenant: str
    current: SigningSecret
    previous: tuple[RetiredSecret, ...] = field(default_factory=tuple)

    @classmethod
    def first(cls, tenant: str, *, now: datetime, grace: timedelta) -> TenantSecrets:
        """A tenant's first secret; the deployment's secret stays valid for ``grace``."""
        deployment = SigningSecret(DEPLOYMENT_SECRET_ID, "", now)
        return cls(tenant, _new(now), (RetiredSecret(deployment, now + grace),))

    def rotated(self, *, now: datetime, grace: timedelta) -> TenantSecrets:
        """A new current secret; the old one signs for ``grace`` more, beside the earlier
        ones still in theirs (the newest ``MAX_PREVIOUS`` of them)."""
        kept = (RetiredSecret(self.current, now + grace), *self.in_grace(now))
        return replace(self, current=_new(now), previous=kept[:MAX_PREVIOUS])

    def in_grace(self, now: datetime) -> tuple[RetiredSecret, ...]:
        return tuple(r for r in self.previous if r.valid_until > now)

    def signing(self, now: datetime) -> list[SigningSecret]:
        """The secrets that sign a delivery made at ``now``, the current one first."""
        return [self.current, *(r.secret for r in self.in_grace(now))]


def _new(now: datetime) -> SigningSecret:
    return SigningSecret(new_id("whs"), generate_secret(), now)


# --- storage form, shared by the adapters: metadata in the clear, values sealed ---


def metadata_of(record: TenantSecrets) -> dict[str, Any]:
    """What may be stored and shown in the clear: ids and times, never a value."""
    return {
        "current": {"id": record.current.id, "created_at": record.current.created_at.isoformat()},
        "previous": [
            {
                "id": r.secret.id,
                "created_at": r.secret.created_at.isoformat(),
                "valid_until": r.valid_until.isoformat(),
            }
            for r in record.previous
        ],
    }


def values_of(record: TenantSecrets) -> dict[str, str]:
    """The known secret values by id (the part the adapters encrypt or keep private)."""
    secrets = [record.current, *(r.secret for r in record.previous)]
    return {s.id: s.value for s in secrets if s.value and s.id != DEPLOYMENT_SECRET_ID}


def from_stored(tenant: str, metadata: dict[str, Any], values: dict[str, str]) -> TenantSecrets:
    """The record back from ``metadata_of`` and ``values_of``."""

    def secret(entry: dict[str, Any]) -> SigningSecret:
        return SigningSecret(
            entry["id"], values.get(entry["id"], ""), datetime.fromisoformat(entry["created_at"])
        )

    return TenantSecrets(
        tenant=tenant,
        current=secret(metadata["current"]),
        previous=tuple(
            RetiredSecret(secret(e), datetime.fromisoformat(e["valid_until"]))
            for e in metadata["previous"]
        ),
    )
