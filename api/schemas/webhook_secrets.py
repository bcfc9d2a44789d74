"""Webhook secrets: a tenant's Standard Webhooks signing secrets, as metadata (the value
appears once, in the answer that created it)."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class RetiredSecretPublic(BaseModel):
    """A replaced secret that still signs deliveries until ``valid_until``."""

    id: str = Field(description="'deployment' for the deployment's shared secret.")
    created_at: datetime
    valid_until: datetime


class WebhookSecretsPublic(BaseModel):
    """Which secrets sign this tenant's webhooks now; never their values."""

    signed_with: Literal["tenant", "deployment"] = Field(
        description="tenant: its own secret; deployment: the deployment's shared secret, "
        "until the tenant creates one (POST /v1/webhook-secrets)."
    )
    current_id: str | None = None
    created_at: datetime | None = None
    previous: list[RetiredSecretPublic] = Field(
        default_factory=list,
        description="Secrets that also sign deliveries until their grace period ends.",
    )


class WebhookSecretCreated(BaseModel):
    """A new signing secret: store ``secret`` now, it is never shown again."""

    id: str
    secret: str = Field(
        description="'whsec_' + base64 key, for the standardwebhooks library's Webhook(...)."
    )
    created_at: datetime
    previous: list[RetiredSecretPublic] = Field(
        default_factory=list,
        description="Secrets that keep signing beside this one until their grace ends.",
    )
