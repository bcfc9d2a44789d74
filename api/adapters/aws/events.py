"""The AWS events the Lambdas receive, parsed with Powertools' parser; pure, no AWS calls.

- SNS notifications from the async try-on endpoint (success and error topics):
  :func:`parse_async_notifications`.
- EventBridge "SageMaker Training Job State Change": :func:`parse_training_event`.
- SQS job references for the worker: :class:`JobMessageRecord` (a Powertools
  ``BatchProcessor`` model) and :func:`parse_job_messages`; webhook delivery messages for
  the webhook sender: :class:`WebhookMessageRecord`.

Powertools' models (``SnsModel``, ``EventBridgeModel``, ``SqsRecordModel``) validate the
envelopes; our pydantic models validate SageMaker's payloads. A payload that is not ours
(another endpoint's input, an untagged training job) parses to ``None``, so a shared
topic or rule cannot make a Lambda touch an unrelated record.

Malformed events, per source (what fails is chosen so nothing is dropped silently):

- **SNS** (invoked asynchronously, one record per invocation). An event that is not an
  SNS event raises ``ValidationError``: the Lambda is wired to the wrong source; it fails,
  Lambda retries, the dead-letter queue keeps it. A message that is not a SageMaker async
  notification is ``None`` and logged, *unless* it names an input under our prefix: then
  it is ours but unreadable and ``ValidationError`` is raised (retry, then the DLQ) rather
  than leave its job waiting with no trace. Records are parsed one by one (not with
  ``SnsEnvelope``, which validates all records as one), so a foreign message never hides
  the others.
- **EventBridge** (one event per invocation). Not an EventBridge event → raises. Another
  ``detail-type`` or a source other than ``aws.sagemaker`` → ``None``. A SageMaker
  training state change whose ``detail`` does not validate → raises: the schema is
  SageMaker's own, so a mismatch means it changed, and must be loud (retry, DLQ).
- **SQS** (batches). A body that is not a job reference fails validation for that record
  only: with :class:`JobMessageRecord` as ``BatchProcessor``'s model it becomes a batch
  item failure (SQS redelivers, then the DLQ) while the other records go on.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime  # noqa: TC003 (pydantic resolves it at runtime)
from typing import Annotated, Any, Literal

from aws_lambda_powertools.utilities.parser import ValidationError, envelopes, parse
from aws_lambda_powertools.utilities.parser.models import (
    EventBridgeModel,
    SnsModel,
    SqsRecordModel,
)
from pydantic import BaseModel, ConfigDict, Field, Json, field_validator

from api.adapters.aws.sagemaker_training import TAG_JOB_ID, TAG_KIND, TAG_TENANT, tags_of
from api.adapters.aws.tenants import valid_tenant
from api.adapters.aws.webhook_outbox import WebhookMessage
from api.domain.jobs import TRAINING_RUNS, JobKind
from api.domain.outcomes import JobRef

log = logging.getLogger(__name__)

TRAINING_DETAIL_TYPE = "SageMaker Training Job State Change"
TRAINING_SOURCE = "aws.sagemaker"
ASYNC_EVENT_SOURCE = "aws:sagemaker"
ASYNC_FINAL_STATUSES = frozenset({"Completed", "Failed"})
# The job kinds the asynchronous endpoints serve.
ASYNC_KINDS = {kind.value: kind for kind in (JobKind.TRY_ON, JobKind.GENERATION)}
_STATUS_IN_REASON = re.compile(r"\((\d{3})\)")

NonEmpty = Annotated[str, Field(min_length=1)]


# --- SageMaker payload models ----------------------------------------------------------


class _Payload(BaseModel):
    """AWS field names as AWS spells them; unknown fields ignored (AWS adds some)."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class AsyncRequestParameters(_Payload):
    inputLocation: str
    endpointName: str | None = None
    contentType: str | None = None
    customAttributes: str | None = None


class AsyncResponseParameters(_Payload):
    contentType: str | None = None
    outputLocation: str | None = None
    failureLocation: str | None = None


class AsyncInferenceNotificationModel(_Payload):
    """The JSON SageMaker publishes to an async endpoint's success or error topic."""

    invocationStatus: str  # Completed | Failed
    inferenceId: NonEmpty
    requestParameters: AsyncRequestParameters
    responseParameters: AsyncResponseParameters | None = None
    failureReason: str | None = None
    awsRegion: str | None = None
    eventTime: datetime | None = None
    receivedTime: datetime | None = None
    eventVersion: str | None = None
    eventSource: str = ASYNC_EVENT_SOURCE
    eventName: str | None = None


class ModelArtifactsModel(_Payload):
    S3ModelArtifacts: str | None = None


class TrainingJobStateDetail(_Payload):
    """``detail`` of EventBridge's "SageMaker Training Job State Change" (the fields we use)."""

    TrainingJobName: NonEmpty
    TrainingJobStatus: str  # InProgress | Completed | Failed | Stopping | Stopped
    TrainingJobArn: str | None = None
    SecondaryStatus: str | None = None
    FailureReason: str | None = None
    ModelArtifacts: ModelArtifactsModel | None = None
    Tags: dict[str, str] = Field(default_factory=dict)

    @field_validator("Tags", mode="before")
    @classmethod
    def _tags_as_map(cls, value: Any) -> Any:
        """EventBridge sends a map; the API's ``Key``/``Value`` list is accepted too."""
        if value is None:
            return {}
        return tags_of(value) if isinstance(value, list) else value


class JobRefMessage(_Payload):
    """The SQS job message (``api/adapters/aws/sqs.py`` writes it): a reference only."""

    v: Literal[1]
    tenant: NonEmpty
    job_id: NonEmpty
    kind: NonEmpty

    @property
    def job(self) -> JobRef:
        return JobRef(tenant=self.tenant, job_id=self.job_id)


class JobMessageRecord(SqsRecordModel):
    """An SQS record whose body is a job reference: ``BatchProcessor(model=...)``."""

    body: Json[JobRefMessage]


class WebhookMessageModel(_Payload):
    """The webhooks queue's message (``webhook_outbox.WebhookMessage`` writes it)."""

    v: Literal[1]
    tenant: NonEmpty
    job_id: NonEmpty
    event_id: NonEmpty
    attempt: int = Field(ge=0)
    not_before: float

    @property
    def message(self) -> WebhookMessage:
        return WebhookMessage(
            self.tenant, self.job_id, self.event_id, self.attempt, self.not_before
        )


class WebhookMessageRecord(SqsRecordModel):
    """An SQS record of the webhooks queue: the webhook sender's ``BatchProcessor`` model."""

    body: Json[WebhookMessageModel]


# --- what the core is handed -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AsyncNotification:
    """One of our async inferences ended; which job, and where its output or error is."""

    job: JobRef
    succeeded: bool
    output_location: str | None
    failure_location: str | None
    failure_reason: str
    model_status: int | None  # the container's HTTP status named in failure_reason


@dataclass(frozen=True, slots=True)
class TrainingStateChange:
    """A state change of one of our training jobs (tagged by the launcher)."""

    job: JobRef
    kind: str
    status: str  # InProgress | Completed | Failed | Stopping | Stopped
    training_job_name: str
    model_artifacts: str | None
    failure_reason: str


# --- parsers ------------------------------------------------------------------------------


def parse_async_notifications(
    event: dict[str, Any], *, async_input_prefix: str
) -> list[AsyncNotification | None]:
    """Each SNS record of ``event`` as our :class:`AsyncNotification`, or ``None``.

    Raises
    ------
    ValidationError
        ``event`` is not an SNS event, or a message names an input under
        ``async_input_prefix`` but is not a valid async inference notification.
    """
    envelope: SnsModel = parse(event=event, model=SnsModel)
    notifications: list[AsyncNotification | None] = []
    for record in envelope.Records:
        message = record.Sns.Message if isinstance(record.Sns.Message, str) else ""
        notifications.append(
            _notification(message, async_input_prefix, message_id=record.Sns.MessageId)
        )
    return notifications


def parse_training_event(event: dict[str, Any]) -> TrainingStateChange | None:
    """A training state change of a Vitrine job (tagged by the launcher), else ``None``.

    Raises
    ------
    ValidationError
        ``event`` is not an EventBridge event, or is SageMaker's training state change
        with a ``detail`` that does not validate.
    """
    envelope: EventBridgeModel = parse(event=event, model=EventBridgeModel)
    if envelope.detail_type != TRAINING_DETAIL_TYPE or envelope.source != TRAINING_SOURCE:
        return None
    detail = envelopes.EventBridgeEnvelope().parse(data=event, model=TrainingJobStateDetail)
    if detail is None:  # "detail": null
        return None
    tenant, job_id = valid_tenant(detail.Tags.get(TAG_TENANT)), detail.Tags.get(TAG_JOB_ID)
    run = detail.Tags.get(TAG_KIND, "avatar")
    job_kind = TRAINING_RUNS.get(run)
    if not tenant or not job_id or job_kind is None:
        return None
    artifacts = detail.ModelArtifacts.S3ModelArtifacts if detail.ModelArtifacts else None
    return TrainingStateChange(
        # A training event can only finish a training job of its own kind.
        job=JobRef(tenant=tenant, job_id=job_id, kind=job_kind),
        kind=run,
        status=detail.TrainingJobStatus,
        training_job_name=detail.TrainingJobName,
        model_artifacts=artifacts or None,
        failure_reason=detail.FailureReason or "",
    )


def parse_job_messages(event: dict[str, Any]) -> list[JobRefMessage]:
    """Every job reference of an SQS batch (all or nothing: raises ``ValidationError``).

    The worker, which must fail single records, uses :class:`JobMessageRecord` as its
    ``BatchProcessor`` model instead.
    """
    parsed = envelopes.SqsEnvelope().parse(data=event, model=JobRefMessage)
    return [message for message in parsed if message is not None]


def job_ref_of(async_input_key: str, async_input_prefix: str) -> JobRef | None:
    """The job named by an async input key ``{prefix}{tenant}/{job_id}.json``, if valid."""
    if not async_input_key.startswith(async_input_prefix):
        return None
    tenant, _, name = async_input_key[len(async_input_prefix) :].rpartition("/")
    valid = valid_tenant(tenant)
    if not valid or not name.endswith(".json"):
        return None
    # Only the async kinds run on the async endpoints: their notifications finish nothing
    # else (a try-on's input is ``{job}.json``, another kind's ``{job}.{kind}.json``).
    job_id, _, kind = name.removesuffix(".json").partition(".")
    job_kind = ASYNC_KINDS.get(kind or JobKind.TRY_ON.value)
    if job_kind is None:
        return None
    return JobRef(tenant=valid, job_id=job_id, kind=job_kind)


def model_status(failure_reason: str) -> int | None:
    """The container's HTTP status in SageMaker's failure reason (``... error (400) ...``)."""
    match = _STATUS_IN_REASON.search(failure_reason)
    return int(match.group(1)) if match else None


def _notification(
    message: str | dict[str, Any], prefix: str, *, message_id: str = ""
) -> AsyncNotification | None:
    try:
        n: AsyncInferenceNotificationModel = parse(
            event=message,  # type: ignore[arg-type]  # parse() takes JSON text too
            model=AsyncInferenceNotificationModel,
        )
    except ValidationError:
        if _names_our_input(message, prefix):
            log.error("unreadable async notification for our input (message %s)", message_id)
            raise
        log.warning("not an async inference notification (message %s)", message_id)
        return None
    if n.eventSource != ASYNC_EVENT_SOURCE or n.invocationStatus not in ASYNC_FINAL_STATUSES:
        return None
    location = n.requestParameters.inputLocation
    _bucket, _, key = location.removeprefix("s3://").partition("/")
    job = job_ref_of(key, prefix) if location.startswith("s3://") else None
    # inferenceId must agree with the input key: a forged or foreign notification
    # cannot finish another job.
    if job is None or n.inferenceId != job.job_id:
        return None
    response = n.responseParameters or AsyncResponseParameters()
    reason = n.failureReason or ""
    return AsyncNotification(
        job=job,
        succeeded=n.invocationStatus == "Completed",
        output_location=response.outputLocation or None,
        failure_location=response.failureLocation or None,
        failure_reason=reason,
        model_status=model_status(reason),
    )


def _names_our_input(message: str | dict[str, Any], prefix: str) -> bool:
    """Whether an invalid message still names an input under our prefix (it is ours)."""
    try:
        raw = parse(event=message, model=dict[str, Any])  # type: ignore[arg-type]
    except ValidationError:
        return False
    params = raw.get("requestParameters")
    location = params.get("inputLocation") if isinstance(params, dict) else None
    if not isinstance(location, str) or not location.startswith("s3://"):
        return False
    return location.removeprefix("s3://").partition("/")[2].startswith(prefix)
