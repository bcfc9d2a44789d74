"""What the AWS notification Lambdas do with a parsed event, over the job services.

Each handler reads the job first: a missing job is ignored, a terminal one means a
duplicate delivery (SNS and EventBridge deliver at least once), so nothing changes and
no second webhook is sent. The job services' conditional transitions settle any race
between two deliveries processed at the same moment.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from api.adapters.aws.errors import container_message
from api.adapters.aws.mme import register_avatar
from api.adapters.aws.sagemaker_runtime import decode_output
from api.domain import errors as e
from api.domain.jobs import JobError, JobKind, JobStatus
from api.services import jobs as job_service
from api.services.try_on import finish_try_on

if TYPE_CHECKING:
    from api.adapters.aws.events import AsyncInferenceResult, TrainingStateChange
    from api.adapters.aws.s3 import S3ObjectStore
    from api.bootstrap import Container
    from api.domain.jobs import Job

log = logging.getLogger(__name__)

DUPLICATE, MISSING, IGNORED = "duplicate", "missing", "ignored"


def _open_job(container: Container, tenant: str, job_id: str, kinds: set[JobKind]) -> Job | str:
    job = container.jobs.get(tenant, job_id)
    if job is None:
        log.warning("notification for unknown job %s", job_id)
        return MISSING
    if job.kind not in kinds:  # a notification can only finish the kind of job it is about
        log.warning("notification for job %s of kind %s ignored", job_id, job.kind)
        return IGNORED
    if job.status.terminal:
        return DUPLICATE
    return job


def handle_async_result(
    container: Container, result: AsyncInferenceResult, *, reader: S3ObjectStore
) -> str:
    """Finish a try-on from its async inference notification; return the outcome."""
    job = _open_job(container, result.tenant, result.job_id, {JobKind.TRY_ON})
    if isinstance(job, str):
        return job
    recorded = job.internal.get("output_location")
    if result.succeeded and recorded and result.output_location != recorded:
        log.warning("output location of job %s does not match its submission", job.id)
        return IGNORED
    if not result.succeeded:
        return job_service.fail(container, job, _async_failure(job, result, reader)).status.value
    if not result.output_location:
        error = e.ModelInvocationFailed("the async endpoint reported no output location")
        return job_service.fail(container, job, _job_error(error)).status.value
    try:
        output = decode_output(reader.read_uri(result.output_location))
    except (e.ModelInvocationFailed, e.NotFound) as err:
        return job_service.fail(container, job, _job_error(err)).status.value
    return finish_try_on(container, job, output).status.value


def handle_training_change(
    container: Container,
    change: TrainingStateChange,
    *,
    artifacts: S3ObjectStore,
    mme: S3ObjectStore,
) -> str:
    """Move the training job along its SageMaker state; register avatars on success."""
    job = _open_job(container, change.tenant, change.job_id, {JobKind.AVATAR_TRAINING})
    if isinstance(job, str):
        return job
    if change.status == "InProgress":
        if job.status is JobStatus.QUEUED:
            container.jobs.transition(job.tenant, job.id, JobStatus.RUNNING)
        return JobStatus.RUNNING.value
    if change.status in ("Failed", "Stopped"):
        reason = change.failure_reason or f"training {change.status.lower()}"
        error = e.ModelInvocationFailed(f"Training {change.status.lower()}: {reason}"[:1000])
        return job_service.fail(container, job, _job_error(error)).status.value
    if change.status != "Completed":
        return IGNORED  # Stopping: the Stopped event follows

    training: Job = job  # narrowed, for the closure

    def complete() -> Job:
        artifacts_uri = change.model_artifacts
        if not artifacts_uri:
            raise e.ModelInvocationFailed("the training job reported no model artifacts")
        result: dict[str, Any] = {
            "training_job": change.training_job_name,
            "model_artifacts": artifacts_uri,
        }
        if change.kind == "avatar":
            # An avatar is its training job (api/services/avatars.py): same id.
            registered = register_avatar(
                artifacts=artifacts,
                mme=mme,
                model_artifacts_uri=artifacts_uri,
                tenant=training.tenant,
                avatar_id=training.id,
            )
            result.update(
                avatar_id=training.id,
                target_model=registered.target_model,
                metadata=registered.metadata,
            )
        return job_service.succeed(container, training, result)

    return job_service.guarded(container, training, complete).status.value


def _async_failure(job: Job, result: AsyncInferenceResult, reader: S3ObjectStore) -> JobError:
    """The container's own message for a 4xx (from the failure location), else generic."""
    status = result.model_status
    if status is not None and 400 <= status < 500:
        message = ""
        location = job.internal.get("failure_location")
        if location:
            try:
                message = container_message(reader.read_uri(location).decode("utf-8", "replace"))
            except e.VitrineError:
                message = ""
        return _job_error(e.ModelInputRejected(message or "The try-on model rejected the input"))
    suffix = f" (status {status})" if status else ""
    return _job_error(e.ModelInvocationFailed(f"The try-on model failed{suffix}"))


def _job_error(err: e.VitrineError) -> JobError:
    return JobError(type=err.slug, title=err.title, detail=err.detail)
