"""Jobs: long-running work (try-on, avatar training and generation) and its lifecycle."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from api.domain.errors import InvalidJobTransition, VitrineError


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"

    @property
    def terminal(self) -> bool:
        return self in TERMINAL


TERMINAL = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELED})

# Allowed moves; a terminal job never changes again (stores enforce this atomically).
TRANSITIONS: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, *TERMINAL}),
    JobStatus.RUNNING: frozenset({JobStatus.RUNNING, *TERMINAL}),
    JobStatus.SUCCEEDED: frozenset(),
    JobStatus.FAILED: frozenset(),
    JobStatus.CANCELED: frozenset(),
}


class JobKind(StrEnum):
    TRY_ON = "try_on"
    AVATAR_TRAINING = "avatar_training"
    AVATAR_GENERATION = "avatar_generation"
    ATTRIBUTE_MODEL_TRAINING = "attribute_model_training"
    ATTRIBUTE_BATCH = "attribute_batch"
    # Tenant models (issue 11): each kind of model is its training job.
    STYLE_TRAINING = "style_training"
    PRODUCT_TRAINING = "product_training"
    CONCEPT_TRAINING = "concept_training"
    GENERATION = "generation"
    # Model comparisons (issue 12): a batch run (prompt set x models) on the trainer.
    COMPARISON = "comparison"


# Training runs (``TrainingSpec.kind``, the SageMaker job's ``vitrine:kind`` tag) by the
# job kind whose work they are.
TRAINING_RUNS: dict[str, JobKind] = {
    "avatar": JobKind.AVATAR_TRAINING,
    "blip2": JobKind.ATTRIBUTE_MODEL_TRAINING,
    "style": JobKind.STYLE_TRAINING,
    "product": JobKind.PRODUCT_TRAINING,
    "concept": JobKind.CONCEPT_TRAINING,
    "comparison": JobKind.COMPARISON,
}


def new_id(prefix: str) -> str:
    """Opaque, unguessable ids (``job_…``, ``upl_…``) that never reveal a tenant."""
    return f"{prefix}_{secrets.token_urlsafe(16)}"


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class JobError:
    """Why a job failed, in problem+json terms (``type`` slug, title, detail)."""

    type: str
    title: str
    detail: str = ""

    @classmethod
    def of(cls, err: VitrineError) -> JobError:
        """A domain error as a job's reason (its slug kept)."""
        return cls(type=err.slug, title=err.title, detail=err.detail)


INTERNAL_ERROR = JobError("internal-error", "Internal error", "Unexpected error; it was logged.")


@dataclass(frozen=True, slots=True)
class JobProgress:
    """How far running work has come, as the model side reports it (e.g. 3 of 30 steps)."""

    stage: str
    done: int | None = None
    total: int | None = None
    unit: str | None = None
    updated_at: datetime = field(default_factory=lambda: utcnow())


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """A job's terminal event for its ``callback_url``: ``id`` is its ``webhook-id``, the
    same on every attempt (receivers drop duplicates by it)."""

    id: str
    type: str  # job.succeeded | job.failed | job.canceled
    url: str


@dataclass(frozen=True, slots=True)
class WebhookDelivery:
    """Where a job's webhook stands: ``pending`` (retried), ``delivered`` or ``failed``."""

    state: str
    attempts: int = 0
    last_attempt_at: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class Job:
    """One asynchronous job of a tenant: its kind, status, typed data (as JSON) and outcome."""

    id: str
    tenant: str
    kind: JobKind
    status: JobStatus
    request: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    expires_at: datetime
    callback_url: str | None = None
    result: dict[str, Any] | None = None
    error: JobError | None = None
    # Adapter-private bookkeeping (e.g. an async inference id); never shown to clients.
    internal: dict[str, Any] = field(default_factory=dict)
    # The terminal event's delivery, where the store keeps an outbox (local profile).
    webhook: WebhookDelivery | None = None

    @classmethod
    def new(
        cls,
        *,
        tenant: str,
        kind: JobKind,
        request: dict[str, Any],
        ttl_days: int,
        callback_url: str | None = None,
    ) -> Job:
        now = utcnow()
        return cls(
            id=new_id("job"),
            tenant=tenant,
            kind=kind,
            status=JobStatus.QUEUED,
            request=request,
            created_at=now,
            updated_at=now,
            expires_at=now + timedelta(days=ttl_days),
            callback_url=callback_url,
        )

    def moved(
        self,
        to: JobStatus,
        *,
        result: dict[str, Any] | None = None,
        error: JobError | None = None,
    ) -> Job:
        """The job after a transition; raises if the move is not allowed."""
        if to not in TRANSITIONS[self.status]:
            raise InvalidJobTransition(f"job {self.id} cannot go from {self.status} to {to}")
        return replace(
            self,
            status=to,
            updated_at=utcnow(),
            result=result if result is not None else self.result,
            error=error if error is not None else self.error,
        )
