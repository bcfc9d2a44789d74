"""Jobs: the public view of long-running work."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from api.domain.jobs import JobKind, JobStatus


class JobErrorPublic(BaseModel):
    """Why a job failed, problem-style: ``type`` is a stable URI clients may switch on."""

    type: str
    title: str
    detail: str


class WebhookDeliveryPublic(BaseModel):
    """Where the job's webhook (to its ``callback_url``) stands."""

    state: Literal["pending", "delivered", "failed"] = Field(
        description="pending: being sent or retried; delivered: a 2xx answer; failed: given up."
    )
    attempts: int
    last_attempt_at: datetime | None = None
    last_error: str | None = Field(
        default=None, description="The last failed attempt's outcome (e.g. 'HTTP 503')."
    )


class JobPublic(BaseModel):
    id: str
    kind: JobKind
    status: JobStatus
    created_at: datetime
    updated_at: datetime
    result: dict[str, Any] | None = Field(
        default=None, description="Set once succeeded; image URLs are short-lived."
    )
    error: JobErrorPublic | None = None
    webhook: WebhookDeliveryPublic | None = Field(
        default=None, description="Set once a job with a callback_url has ended."
    )
    links: dict[str, str] = Field(description="'self': where to poll this job.")
