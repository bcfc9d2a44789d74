"""Per-tenant webhook secrets: create or rotate (the value shown once), and describe.

The rules (which secrets sign, for how long) are the domain's
(``api/domain/webhook_secrets.py``); the store keeps the values encrypted at rest and
makes a rotation one conditional write, so two concurrent rotations cannot both win.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from api.domain.jobs import utcnow
from api.domain.webhook_secrets import TenantSecrets

if TYPE_CHECKING:
    from api.ports import WebhookSecretStore


class WebhookSecrets:
    """Parameters
    ----------
    store
        The tenants' secrets.
    grace_hours
        How long a replaced secret keeps signing (``VITRINE_WEBHOOK_SECRET_GRACE_HOURS``).
    """

    def __init__(self, *, store: WebhookSecretStore, grace_hours: float) -> None:
        self._store = store
        self._grace = timedelta(hours=grace_hours)

    def rotate(self, tenant: str) -> TenantSecrets:
        """A new current secret for ``tenant`` (its first, or a rotation); the returned
        record holds its value, which is never shown again. Raises ``Conflict`` when a
        concurrent rotation won."""
        now = utcnow()
        existing = self._store.get(tenant)
        if existing is None:
            record = TenantSecrets.first(tenant, now=now, grace=self._grace)
        else:
            record = existing.rotated(now=now, grace=self._grace)
        self._store.put(record, replaces=None if existing is None else existing.current.id)
        return record

    def describe(self, tenant: str) -> TenantSecrets | None:
        """The tenant's secrets (the caller shows metadata only); ``None``: it has none."""
        return self._store.get(tenant)
