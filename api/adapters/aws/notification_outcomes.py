"""Parsed AWS notifications → job outcomes (the core's one completion path takes them).

Interim: the events helper's ``async_results.AsyncResultReader.to_outcome`` and
``training_outcome`` replace these two functions (same results), and the Lambdas swap a
line each. Nothing here reads or moves a job: it only says what happened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from api.adapters.aws.errors import container_message
from api.adapters.aws.sagemaker_runtime import decode_output
from api.domain import errors as e
from api.domain.jobs import TRAINING_RUNS, JobError, JobKind
from api.domain.outcomes import JobFailed, JobRef, JobStarted, OutputReady, TrainingFinished

if TYPE_CHECKING:
    from api.adapters.aws.events import AsyncInferenceResult, TrainingStateChange
    from api.adapters.aws.s3 import S3ObjectStore
    from api.domain.outcomes import Outcome


def async_outcome(
    result: AsyncInferenceResult, message: dict[str, Any], *, reader: S3ObjectStore
) -> Outcome:
    """A try-on's async inference notification as ``OutputReady`` or ``JobFailed``.

    The output is read from S3 and decoded; a failure keeps the container's own message
    for a 4xx (from the failure location, when the notification names one), and never
    shows the container's text of a 5xx.
    """
    ref = JobRef(result.tenant, result.job_id, kind=JobKind.TRY_ON)
    if not result.succeeded:
        failure = (message.get("responseParameters") or {}).get("failureLocation")
        return JobFailed(ref, _async_failure(result, failure, reader))
    if not result.output_location:
        error = e.ModelInvocationFailed("the async endpoint reported no output location")
        return JobFailed(ref, JobError.of(error))
    try:
        output = decode_output(reader.read_uri(result.output_location))
    except (e.ModelInvocationFailed, e.NotFound) as err:
        return JobFailed(ref, JobError.of(err))
    return OutputReady(ref, output, location=result.output_location)


def training_outcome(change: TrainingStateChange) -> Outcome | None:
    """A training state change as an outcome; ``None`` for one that changes nothing
    (``Stopping``: the ``Stopped`` event follows) or a run of no known job kind."""
    kind = TRAINING_RUNS.get(change.kind)
    if kind is None:
        return None
    ref = JobRef(change.tenant, change.job_id, kind=kind)
    if change.status == "InProgress":
        return JobStarted(ref)
    if change.status in ("Failed", "Stopped"):
        reason = change.failure_reason or f"training {change.status.lower()}"
        error = e.ModelInvocationFailed(f"Training {change.status.lower()}: {reason}"[:1000])
        return JobFailed(ref, JobError.of(error))
    if change.status != "Completed":
        return None
    if not change.model_artifacts:
        error = e.ModelInvocationFailed("the training job reported no model artifacts")
        return JobFailed(ref, JobError.of(error))
    return TrainingFinished(
        ref, artifacts=change.model_artifacts, training_job=change.training_job_name
    )


def _async_failure(
    result: AsyncInferenceResult, location: str | None, reader: S3ObjectStore
) -> JobError:
    status = result.model_status
    if status is not None and 400 <= status < 500:
        message = ""
        if location:
            try:
                message = container_message(reader.read_uri(location).decode("utf-8", "replace"))
            except e.VitrineError:
                message = ""
        return JobError.of(e.ModelInputRejected(message or "The try-on model rejected the input"))
    suffix = f" (status {status})" if status else ""
    return JobError.of(e.ModelInvocationFailed(f"The try-on model failed{suffix}"))
