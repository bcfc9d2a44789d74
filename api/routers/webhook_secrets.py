"""``/v1/webhook-secrets``: a tenant's webhook signing secret, created or rotated (shown
once), and what signs its deliveries now."""

from fastapi import APIRouter, Response

from api.deps import TenantDep, WebhookSecretsDep
from api.domain.jobs import utcnow
from api.domain.webhook_secrets import TenantSecrets
from api.schemas.common import problems
from api.schemas.webhook_secrets import (
    RetiredSecretPublic,
    WebhookSecretCreated,
    WebhookSecretsPublic,
)

router = APIRouter(prefix="/webhook-secrets", tags=["webhooks"])


def _previous(record: TenantSecrets) -> list[RetiredSecretPublic]:
    return [
        RetiredSecretPublic(
            id=r.secret.id, created_at=r.secret.created_at, valid_until=r.valid_until
        )
        for r in record.in_grace(utcnow())
    ]


@router.post(
    "",
    status_code=201,
    operation_id="createWebhookSecret",
    responses=problems(400, 401, 409, 413, 422, 503),
)
def create(
    tenant: TenantDep, secrets: WebhookSecretsDep, response: Response
) -> WebhookSecretCreated:
    """Create or rotate the signing secret; the value is shown in this answer only."""
    record = secrets.rotate(tenant)
    # Never cached, and never kept for an Idempotency-Key replay (api/middleware.py).
    response.headers["Cache-Control"] = "no-store"
    return WebhookSecretCreated(
        id=record.current.id,
        secret=record.current.value,
        created_at=record.current.created_at,
        previous=_previous(record),
    )


@router.get("", operation_id="getWebhookSecrets", responses=problems(401, 503))
def read(tenant: TenantDep, secrets: WebhookSecretsDep) -> WebhookSecretsPublic:
    """What signs the caller's webhooks now (ids and times, never a secret)."""
    record = secrets.describe(tenant)
    if record is None:
        return WebhookSecretsPublic(signed_with="deployment")
    return WebhookSecretsPublic(
        signed_with="tenant",
        current_id=record.current.id,
        created_at=record.current.created_at,
        previous=_previous(record),
    )
