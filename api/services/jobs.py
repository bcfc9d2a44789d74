"""Job lifecycle and execution, shared by the local worker and the AWS worker Lambdas.

Guarantee: every job reaches a terminal state. Whatever a step raises becomes a
``failed`` job with a ``JobError`` (a domain error keeps its slug; anything else is
``internal-error`` and logged), then the webhook fires. Running a job twice (a
recovered job, a duplicate queue message) is safe: a terminal job is left alone.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from api.domain.errors import DependencyUnavailable, InvalidJobTransition, NotFound, VitrineError
from api.domain.jobs import Job, JobError, JobKind, JobStatus
from api.errors import PROBLEM_BASE
from api.schemas.jobs import JobErrorPublic, JobPublic
from api.services.outputs import with_urls
from api.services.webhooks import send_event

if TYPE_CHECKING:
    from collections.abc import Callable

    from api.bootstrap import Container

log = logging.getLogger(__name__)

INTERNAL_ERROR = JobError("internal-error", "Internal error", "Unexpected error; it was logged.")


def job_path(job_id: str) -> str:
    return f"/v1/jobs/{job_id}"


def get_job(container: Container, tenant: str, job_id: str) -> Job:
    """The tenant's job; another tenant's id is simply not found."""
    job = container.jobs.get(tenant, job_id)
    if job is None:
        raise NotFound(f"no job {job_id}")
    return job


def job_view(container: Container, job: Job) -> JobPublic:
    """The client's view: stored object keys become fresh short-lived URLs."""
    error = None
    if job.error is not None:
        error = JobErrorPublic(
            type=PROBLEM_BASE + job.error.type, title=job.error.title, detail=job.error.detail
        )
    return JobPublic(
        id=job.id,
        kind=job.kind,
        status=job.status,
        created_at=job.created_at,
        updated_at=job.updated_at,
        result=None if job.result is None else with_urls(container, job.result),
        error=error,
        links={"self": job_path(job.id)},
    )


def submit(container: Container, job: Job) -> Job:
    """Record a new job and hand it to the queue; a queue failure fails the job."""
    container.jobs.create(job)
    try:
        container.queue.enqueue(job)
    except VitrineError as err:
        fail(container, job, _job_error(err))
        raise
    return job


def execute(container: Container, job: Job) -> Job:
    """Run a queued (or recovered) job.

    Returns the job as it ends up: terminal, or ``running`` when its output will arrive
    by notification (SageMaker async inference).
    """
    current = container.jobs.get(job.tenant, job.id)
    if current is None:
        log.warning("job %s vanished before it ran", job.id)
        return job
    if current.status.terminal:
        return current  # a duplicate delivery: done already
    try:
        running = container.jobs.transition(job.tenant, job.id, JobStatus.RUNNING)
    except InvalidJobTransition:
        return container.jobs.get(job.tenant, job.id) or current
    return guarded(container, running, lambda: _executor(running.kind)(container, running))


def guarded(container: Container, job: Job, step: Callable[[], Job | None]) -> Job:
    """Run ``step``; any failure ends the job as ``failed``. ``None`` means still running."""
    try:
        done = step()
    except VitrineError as err:
        log.info("job %s failed: %s: %s", job.id, err.slug, err.detail)
        return fail(container, job, _job_error(err))
    except Exception:
        log.exception("job %s failed unexpectedly", job.id)
        return fail(container, job, INTERNAL_ERROR)
    return job if done is None else done


def succeed(container: Container, job: Job, result: dict[str, Any]) -> Job:
    done = container.jobs.transition(job.tenant, job.id, JobStatus.SUCCEEDED, result=result)
    notify(container, done)
    return done


def fail(container: Container, job: Job, error: JobError) -> Job:
    """Mark the job failed (unless it already ended) and notify."""
    try:
        done = container.jobs.transition(job.tenant, job.id, JobStatus.FAILED, error=error)
    except (InvalidJobTransition, NotFound):
        return container.jobs.get(job.tenant, job.id) or job
    notify(container, done)
    return done


def notify(container: Container, job: Job) -> None:
    """Send the job's terminal event to its ``callback_url``, if it has one."""
    if job.callback_url is None or not job.status.terminal:
        return
    try:
        view = job_view(container, job).model_dump(mode="json")
        send_event(container.settings, job.callback_url, f"job.{job.status.value}", {"job": view})
    except Exception:  # the job has ended; a notification problem must not change that
        log.exception("webhook for job %s could not be sent", job.id)


def _job_error(err: VitrineError) -> JobError:
    return JobError(type=err.slug, title=err.title, detail=err.detail)


def _executor(kind: JobKind) -> Callable[[Container, Job], Job | None]:
    # Imported here: the executors import this module for succeed/fail.
    if kind is JobKind.TRY_ON:
        from api.services.try_on import run_try_on

        return run_try_on
    if kind is JobKind.AVATAR_TRAINING:
        from api.services.avatars import run_avatar_training

        return run_avatar_training
    if kind is JobKind.AVATAR_GENERATION:
        from api.services.avatar_generation import run_avatar_generation

        return run_avatar_generation
    raise DependencyUnavailable(f"{kind.value} jobs are not available on this deployment")
