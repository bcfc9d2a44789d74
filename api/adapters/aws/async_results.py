"""Work SageMaker finished asynchronously, as the core's outcome messages.

- :class:`AsyncResultReader`: an async inference notification → ``OutputReady`` (the
  output read from S3 and decoded) or ``JobFailed``.
- :func:`training_outcome`: a training state change → ``JobStarted``,
  ``TrainingFinished`` or ``JobFailed`` (``None`` for a state that changes nothing).

Neither touches a job: the core's completion path does, with the message.

Errors, for the Lambda's retry: what a retry cannot fix (a missing or undecodable
output, a training job without artifacts) is a ``JobFailed``; a transient failure
(``DependencyUnavailable``, ``DependencyTimeout`` while reading S3 or describing the
training job) raises, so the event is delivered again and ends in the DLQ if it persists.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from api.adapters.aws.errors import client_text, container_message
from api.adapters.aws.s3 import parse_s3_uri
from api.adapters.aws.sagemaker_runtime import decode_output
from api.domain import errors as e
from api.domain.jobs import JobError
from api.domain.outcomes import JobFailed, JobStarted, OutputReady, TrainingFinished

if TYPE_CHECKING:
    from collections.abc import Callable

    from api.adapters.aws.events import AsyncNotification, TrainingStateChange
    from api.adapters.aws.s3 import S3ObjectStore
    from api.domain.outcomes import JobRef, Outcome

log = logging.getLogger(__name__)

NO_OUTPUT = "the async endpoint reported no output location"
NO_ARTIFACTS = "the training job reported no model artifacts"


class AsyncResultReader:
    """Turns an async inference notification into an outcome.

    Parameters
    ----------
    results
        A store whose role may read the async endpoint's output and failure objects
        (``settings.results_bucket``); only its ``read_uri`` is used.
    """

    def __init__(self, results: S3ObjectStore) -> None:
        self._results = results

    def to_outcome(self, n: AsyncNotification, *, failure_location: str | None = None) -> Outcome:
        """``OutputReady`` with the decoded output, or ``JobFailed`` saying why.

        A container 4xx (``model_status`` 400–499) is ``model-input-rejected`` with the
        container's own message, read from the failure location (``failure_location``
        when given, e.g. the one ``InvokeEndpointAsync`` returned at submission, else
        the notification's); anything else is ``model-error`` with a generic text: a
        5xx body may hold internals and is never shown.

        Raises
        ------
        DependencyUnavailable, DependencyTimeout
            S3 could not be read now; the notification should be delivered again.
        """
        if not n.succeeded:
            return JobFailed(job=n.job, error=self._failure(n, failure_location))
        if not n.output_location:
            return _failed(n.job, e.ModelInvocationFailed(NO_OUTPUT))
        try:
            parse_s3_uri(n.output_location)
            output = decode_output(self._results.read_uri(n.output_location))
        except e.NotFound:
            return _failed(n.job, e.ModelInvocationFailed("the async output is missing"))
        except e.ModelInvocationFailed as err:  # not JSON, not an object
            return _failed(n.job, err)
        except (e.DependencyUnavailable, e.DependencyTimeout):
            raise
        except e.VitrineError:  # not an S3 URI, access refused: a retry cannot help
            return _failed(n.job, e.ModelInvocationFailed("the async output cannot be read"))
        return OutputReady(job=n.job, output=output, location=n.output_location)

    def _failure(self, n: AsyncNotification, failure_location: str | None) -> JobError:
        status = n.model_status
        if status is not None and 400 <= status < 500:
            message = ""
            location = failure_location or n.failure_location
            if location:
                try:
                    raw = self._results.read_uri(location)
                    message = container_message(raw.decode("utf-8", "replace"))
                except e.VitrineError:
                    message = ""  # the generic text below still says what happened
            rejected = e.ModelInputRejected(message or "The try-on model rejected the input")
            return JobError.of(rejected)
        suffix = f" (status {status})" if status else ""
        return JobError.of(e.ModelInvocationFailed(f"The try-on model failed{suffix}"))


def training_outcome(
    change: TrainingStateChange, *, describe: Callable[[str], str | None]
) -> Outcome | None:
    """The outcome a training state change means for its job.

    ``InProgress`` → ``JobStarted``; ``Failed``/``Stopped`` → ``JobFailed`` with
    SageMaker's ``FailureReason``; ``Completed`` → ``TrainingFinished``. When the event
    lacks ``ModelArtifacts``, ``describe(training_job_name)`` (e.g.
    ``SageMakerTrainingLauncher.model_artifacts``, i.e. ``DescribeTrainingJob``) is asked;
    only when that has none either does the job fail. ``Stopping`` (the ``Stopped`` event
    follows) and unknown states → ``None``.

    Raises
    ------
    VitrineError
        Whatever ``describe`` raises (transient: the event should be delivered again).
    """
    if change.status == "InProgress":
        return JobStarted(job=change.job)
    if change.status in ("Failed", "Stopped"):
        state = change.status.lower()
        if change.failure_reason:
            log.warning("training %s %s: %s", change.training_job_name, state,
                        change.failure_reason[:4000])
        reason = client_text(change.failure_reason or "", limit=900) or f"training {state}"
        return _failed(change.job, e.ModelInvocationFailed(f"Training {state}: {reason}"))
    if change.status != "Completed":
        return None
    artifacts = change.model_artifacts or describe(change.training_job_name)
    if not artifacts:
        return _failed(change.job, e.ModelInvocationFailed(NO_ARTIFACTS))
    return TrainingFinished(
        job=change.job, artifacts=artifacts, training_job=change.training_job_name
    )


def _failed(job: JobRef, err: e.VitrineError) -> JobFailed:
    return JobFailed(job=job, error=JobError.of(err))
