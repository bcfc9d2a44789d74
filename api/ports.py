"""Ports: what the services need from the outside world.

Each has a ``local`` adapter (``api/adapters/local``, the embedded default) and an
``aws`` adapter (``api/adapters/aws``); ``api/bootstrap.py`` picks by settings.
Adapters translate their own failures into ``api.domain.errors`` and never let a
``ClientError`` (or an OS error) escape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping
    from datetime import datetime

    from api.domain.job_data import AsyncSubmission
    from api.domain.jobs import Job, JobError, JobKind, JobProgress, JobStatus, WebhookEvent
    from api.domain.outcomes import JobRef, Outcome
    from api.domain.taxonomies import Taxonomy
    from api.domain.webhook_secrets import TenantSecrets

    OutcomeSink = Callable[[Outcome], object]
    """Where an adapter that learns a job's outcome hands it: the core's ``handle``."""


@dataclass(frozen=True, slots=True)
class UploadTarget:
    """Where and how a client sends an image's bytes (a presigned PUT on S3)."""

    url: str
    method: str
    headers: dict[str, str]
    expires_at: datetime


class ObjectStore(Protocol):
    """Bytes by key. Keys always begin with the tenant: ``{tenant}/...``."""

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        """Store ``data`` (encrypted at rest on AWS)."""

    def get(self, key: str) -> bytes:
        """Return the bytes; raise ``NotFound`` if the key does not exist."""

    def exists(self, key: str) -> bool: ...

    def delete_prefix(self, prefix: str) -> int:
        """Delete every object under ``prefix``; return how many."""

    def keys(self, prefix: str) -> list[str]:
        """The keys under ``prefix`` (tenant-scoped, like ``delete_prefix``), sorted."""

    def url_for_get(self, key: str, *, expires_in: int) -> str:
        """A short-lived URL anyone holding it can GET (presigned on S3)."""

    def upload_target(
        self, key: str, *, content_type: str, size_bytes: int, expires_in: int
    ) -> UploadTarget:
        """A short-lived PUT target bound to this content type and exact size."""


class JobStore(Protocol):
    """Jobs by ``(tenant, id)``. Another tenant's id behaves as missing."""

    def create(self, job: Job) -> None:
        """Insert; raise ``Conflict`` if the id exists."""

    def get(self, tenant: str, job_id: str) -> Job | None: ...

    def transition(
        self,
        tenant: str,
        job_id: str,
        to: JobStatus,
        *,
        result: dict[str, Any] | None = None,
        error: JobError | None = None,
        internal: dict[str, Any] | None = None,
        event: WebhookEvent | None = None,
    ) -> Job:
        """Move a job atomically (conditional write).

        Raises ``NotFound`` if missing, ``InvalidJobTransition`` if the job is terminal
        or the move is not allowed (so duplicate notifications are processed once).
        ``event`` (only given where ``Adapters.outbox`` is set) is recorded in the same
        transaction, for the outbox to deliver: the move and its event happen together.
        """

    def list(self, tenant: str, *, kind: JobKind | None = None, limit: int = 50) -> list[Job]:
        """The tenant's jobs, newest first."""

    def delete(self, tenant: str, job_id: str) -> bool:
        """Remove a job record (avatar deletion); ``False`` if it was not there."""

    def stalled(self, before: datetime) -> Iterator[Job]:
        """Every tenant's ``running`` jobs last updated before ``before``, oldest first,
        read as they are consumed (the sweep for handed-off jobs that never heard back)."""


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    """A claimed ``Idempotency-Key``: its request's hash and, once answered, the answer."""

    tenant: str
    key: str
    request_hash: str
    expires_at: datetime
    # None while the first request is still being processed.
    status_code: int | None = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # When the claim was taken (its lease runs from here while it is in progress).
    claimed_at: datetime | None = None


class IdempotencyStore(Protocol):
    def claim(self, record: IdempotencyRecord) -> IdempotencyRecord | None:
        """Atomically store ``record`` if no live one exists for (tenant, key).

        Return ``None`` when claimed, else the existing record.
        """

    def complete(
        self, tenant: str, key: str, *, status_code: int, body: bytes, headers: dict[str, str]
    ) -> None: ...

    def release(self, tenant: str, key: str) -> None:
        """Forget a claim (the request failed with a 5xx, so a retry may run again)."""


class ModelRuntime(Protocol):
    """The model containers. ``model`` is one of ``clipseg``, ``inpainting``, ``blip2``,
    ``avatar``; payloads are the containers' JSON contracts (``sagemaker_containers/README.md``).
    """

    def invoke(
        self, model: str, payload: dict[str, Any], *, target_model: str | None = None
    ) -> dict[str, Any]:
        """Real-time inference. ``target_model`` selects a model on a multi-model endpoint.

        Raises ``ModelInputRejected`` (container 4xx), ``ModelInvocationFailed`` (5xx),
        ``DependencyUnavailable`` / ``DependencyTimeout``.
        """

    def submit_async(self, model: str, payload: dict[str, Any], *, job: JobRef) -> AsyncSubmission:
        """Start asynchronous inference for ``job``; return its submission handle.

        The output arrives later as an ``OutputReady`` (or ``JobFailed``) outcome: from
        the async endpoint's SNS notification on AWS, from the in-process runtime's
        outcome sink locally (possibly before this returns). Never writes job state.
        Raises the ``invoke`` errors when the request cannot be submitted at all.
        """


@dataclass(frozen=True, slots=True)
class ProductBrief:
    """What a copywriter writes about: the product's attributes and the copy's style."""

    product_type: str
    attributes: dict[str, str]
    tone: str = "friendly"
    language: str = "en"
    length: str = "medium"  # short | medium | long
    brand: str | None = None


@dataclass(frozen=True, slots=True)
class ProductCopy:
    """Product copy as a copywriter wrote it."""

    title: str
    description: str
    bullets: list[str]
    keywords: list[str]
    model: str  # which copywriter wrote it, shown to clients


class Copywriter(Protocol):
    def write(self, brief: ProductBrief) -> ProductCopy:
        """Product copy from attributes. Attribute values are data, never instructions."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """A moderator's answer: ``flagged`` and, if so, why."""

    flagged: bool
    reasons: list[str] = field(default_factory=list)


class Moderator(Protocol):
    def check_text(self, text: str) -> Verdict: ...

    def check_image(self, data: bytes) -> Verdict: ...


@dataclass(frozen=True, slots=True)
class TrainingSpec:
    """A training run: ``kind`` is ``avatar`` (DreamBooth-LoRA) or ``blip2`` (LoRA)."""

    kind: str
    job_id: str
    tenant: str
    # Where the inputs are (an ``uploads`` key prefix) and where the output goes
    # (an ``artifacts`` key prefix); hyperparameters are strings, as SageMaker passes them.
    input_prefix: str
    output_prefix: str
    hyperparameters: dict[str, str]


class TrainingLauncher(Protocol):
    def launch(self, spec: TrainingSpec) -> None:
        """Start training. Completion arrives as a ``TrainingFinished``/``JobFailed``
        outcome: by EventBridge on AWS, from the local launcher's outcome sink locally
        (possibly before this returns). Raises when the run cannot be started."""

    def stop(self, spec: TrainingSpec) -> None:
        """Stop a running training (on delete); a no-op when it already ended."""


class JobQueue(Protocol):
    """Hands a created job to whatever executes it (in-process worker, or SQS)."""

    def enqueue(self, job: Job) -> None: ...


class TenantResolver(Protocol):
    def resolve(
        self, headers: Mapping[str, str], aws_event: Mapping[str, Any] | None
    ) -> str | None:
        """The caller's tenant, or ``None`` when unauthenticated.

        Local: the ``x-api-key`` header's configured tenant. AWS: the API Gateway
        request context (Cognito ``sub`` or API key id) — never a client-set header.
        """


@dataclass(frozen=True, slots=True)
class RegisteredAvatar:
    """An avatar adapter ready to serve: its ``TargetModel`` and the trainer's metadata."""

    target_model: str
    metadata: dict[str, Any]


class AvatarRegistry(Protocol):
    """Makes a trained avatar adapter servable (the multi-model endpoint's prefix)."""

    def register(self, *, tenant: str, avatar_id: str, artifacts: str) -> RegisteredAvatar:
        """Publish the adapter found at ``artifacts`` (a training output archive URI on
        AWS, an artifacts-store prefix locally) as ``tenant``'s avatar ``avatar_id``.

        Raises ``ModelInvocationFailed`` when the output holds no usable adapter.
        """

    def unregister(self, *, tenant: str, avatar_id: str) -> None:
        """Remove the served model (a no-op when there is none)."""


class TaxonomyStore(Protocol):
    """Taxonomies by ``(tenant, name)``. Another tenant's name behaves as missing."""

    def put(self, taxonomy: Taxonomy) -> Taxonomy:
        """Create or replace; a replaced taxonomy keeps its ``created_at``. Returns what
        is stored. Raises ``DependencyUnavailable`` when the store fails."""

    def get(self, tenant: str, name: str) -> Taxonomy | None: ...

    def list(self, tenant: str, *, limit: int = 100) -> list[Taxonomy]:
        """The tenant's taxonomies by name."""

    def delete(self, tenant: str, name: str) -> bool:
        """``False`` if it was not there."""


class WebhookSender(Protocol):
    def send(self, url: str, event: str, data: dict[str, Any]) -> bool:
        """POST ``{"event": event, **data}``, signed, to ``url``; ``True`` once delivered.

        Never raises: a receiver's trouble must not change the job.
        """


class WebhookOutbox(Protocol):
    """Durable webhook delivery: events recorded by ``JobStore.transition(event=...)`` are
    sent by a sender of its own (never the job worker), retried with growing backoff a
    bounded number of times, and resumed after a restart."""

    def start(self, present: Callable[[Job], dict[str, Any]]) -> None:
        """Start sending; ``present`` is the job JSON a webhook carries."""

    def notify(self, job: Job, event: WebhookEvent) -> None:
        """``event`` was recorded with ``job``'s transition, which has committed: hand it
        to the sender now (AWS: its SQS message). Never raises: a lost hand-over is
        found again by the sender's sweep (the recorded event is the truth)."""


class WebhookSecretStore(Protocol):
    """Per-tenant webhook signing secrets (``api/domain/webhook_secrets.py``), values
    encrypted at rest; another tenant's secrets are never returned."""

    def get(self, tenant: str, *, values: bool = False) -> TenantSecrets | None:
        """The tenant's secrets (``None`` when it never created one); their values only
        when ``values`` (the sender: on AWS, decrypting them takes a permission the API
        does not have), else empty strings."""

    def put(self, secrets: TenantSecrets, *, replaces: str | None) -> None:
        """Store ``secrets`` if the tenant's current secret is still ``replaces`` (``None``:
        it has none), one conditional write; else raise ``Conflict`` (a concurrent
        rotation won). ``secrets.current`` carries its value; an earlier secret without
        one keeps the value stored for it."""


class ProgressBoard(Protocol):
    """Where running work reports how far it has come, read by the job view.

    Progress is advisory and short-lived: a board may forget it (a restart, a bound),
    and the view then shows the job's coarse stage instead.
    """

    def report(self, job_id: str, progress: JobProgress) -> None:
        """Record the job's latest progress; never raises."""
        ...

    def get(self, job_id: str) -> JobProgress | None:
        """The job's latest progress, if any was reported."""
        ...


@dataclass(frozen=True)
class Adapters:
    """The ports of one profile, as the adapter wiring builds them.

    ``connect`` is called once by the composition root with the core's job runner and
    outcome handler: local adapters that run work in this process (the worker, the
    runtime, the trainer) are handed them there; on AWS it does nothing.
    """

    uploads: ObjectStore
    results: ObjectStore
    # Model artifacts (training outputs; avatar adapters under the MME prefix).
    artifacts: ObjectStore
    jobs: JobStore
    idempotency: IdempotencyStore
    runtime: ModelRuntime
    copywriter: Copywriter
    moderator: Moderator
    queue: JobQueue
    training: TrainingLauncher
    avatars: AvatarRegistry
    webhooks: WebhookSender
    tenants: TenantResolver
    # Per-tenant webhook signing secrets.
    webhook_secrets: WebhookSecretStore
    taxonomies: TaxonomyStore
    connect: Callable[[Callable[[Job], object], OutcomeSink], None] = field(
        default=lambda run, handle: None
    )
    # Set (both profiles): terminal events go through this outbox, written with the
    # transition; unset (tests' fake senders): the core sends them through ``webhooks``.
    outbox: WebhookOutbox | None = None
    # Takes a periodic task of the core's (the sweep of handed-off jobs that never heard
    # back): run on a thread of the deployment's locally; on AWS a scheduled Lambda runs
    # it instead, so this does nothing there.
    housekeeping: Callable[[Callable[[], object]], None] = field(default=lambda task: None)
    # Fine-grained progress from work running in this process (local); on AWS the job
    # view shows coarse stages only.
    progress: ProgressBoard | None = None
    # Things to close on shutdown (worker threads, DB connections), closed in reverse.
    closers: list[object] = field(default_factory=list)

    def close(self) -> None:
        for closer in reversed(self.closers):
            close = getattr(closer, "close", None)
            if callable(close):
                close()
