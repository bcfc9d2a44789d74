"""The job core: submission, execution and the one completion path, for every job kind.

Guarantee: every job reaches a terminal state. Whatever a step raises becomes a
``failed`` job with a ``JobError`` (a domain error keeps its slug; anything else is
``internal-error`` and logged), then the webhook fires: recorded with the terminal
transition and handed to the deployment's outbox (both profiles), else (tests' fake
senders) sent right after it. Running a job twice (a recovered job, a duplicate queue
message) is safe: a terminal job is left alone, and a job whose work was handed off (its
state says so) is not handed off again.

Kinds are registered once, in the composition root's table (``api/bootstrap.py``), as
a ``JobKindEntry``: the typed request and state models, ``execute`` (run the work, or
hand it off) and ``complete`` (turn an ``OutputReady``/``TrainingFinished`` into the
result). Outcomes from anywhere — the in-process runtime and trainer, the SNS and
EventBridge Lambdas — go through ``JobCore.handle``; adapters never move job state.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from api.domain.errors import (
    DependencyUnavailable,
    InvalidJobTransition,
    ModelTimedOut,
    NotFound,
    VitrineError,
)
from api.domain.job_data import JobData
from api.domain.jobs import (
    INTERNAL_ERROR,
    Job,
    JobError,
    JobKind,
    JobStatus,
    WebhookEvent,
    new_id,
    utcnow,
)
from api.domain.outcomes import JobFailed, JobRef, JobStarted, OutputReady, TrainingFinished

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import timedelta

    from api.domain.outcomes import Outcome
    from api.ports import JobQueue, JobStore, WebhookOutbox, WebhookSender

log = logging.getLogger(__name__)

R = TypeVar("R", bound=JobData)
S = TypeVar("S", bound=JobData)
Completion = OutputReady | TrainingFinished

# What ``handle`` and ``run`` report besides a job status (logs and metrics use them).
DUPLICATE, MISSING, IGNORED, SKIPPED = "duplicate", "missing", "ignored", "skipped"


@dataclass(frozen=True, slots=True)
class Finished:
    """``execute`` produced the job's result in place."""

    result: dict[str, Any]


@dataclass(frozen=True, slots=True)
class HandedOff(Generic[S]):
    """``execute`` handed the work off; its outcome arrives through ``JobCore.handle``.

    ``state`` (e.g. the async submission) is recorded on the job unless the job ended
    meanwhile (a local runtime may deliver the outcome before ``execute`` returns).
    """

    state: S | None = None


Step = Finished | HandedOff[Any]


class OutcomeRefused(Exception):
    """Raised by ``complete`` for an outcome that is not this job's (logged, ignored)."""


@dataclass(frozen=True, slots=True)
class JobKindEntry(Generic[R, S]):
    """One job kind: its typed data and its two steps.

    ``accepts`` lists the outcome types that may come from elsewhere for this kind;
    ``complete`` is required when it holds ``OutputReady`` or ``TrainingFinished``.
    """

    request: type[R]
    state: type[S]
    execute: Callable[[Job, R, S], Step]
    complete: Callable[[Job, R, S, Completion], dict[str, Any]] | None = None
    accepts: frozenset[type[Any]] = field(default_factory=lambda: frozenset({JobFailed}))


def job_path(job_id: str) -> str:
    return f"/v1/jobs/{job_id}"


class JobCore:
    """Job lifecycle over the job store, the queue and the webhook sender.

    Parameters
    ----------
    jobs, queue, webhooks
        The ports it uses.
    kinds
        The job-kind table.
    present
        The client's view of a job as JSON (the HTTP layer's), sent in webhooks.
    outbox
        Set: the job store records each terminal event with its transition and the outbox
        is notified once it committed; unset: ``webhooks`` sends it after the move.
    """

    def __init__(
        self,
        *,
        jobs: JobStore,
        queue: JobQueue,
        webhooks: WebhookSender,
        kinds: Mapping[JobKind, JobKindEntry[Any, Any]],
        present: Callable[[Job], dict[str, Any]],
        outbox: WebhookOutbox | None = None,
    ) -> None:
        self._outbox = outbox
        self._jobs = jobs
        self._queue = queue
        self._webhooks = webhooks
        self._kinds = kinds
        self._present = present

    # --- reading ---
    def get(self, tenant: str, job_id: str) -> Job:
        """The tenant's job; another tenant's id is simply not found."""
        job = self._jobs.get(tenant, job_id)
        if job is None:
            raise NotFound(f"no job {job_id}")
        return job

    # --- submission and execution ---
    def submit(self, job: Job) -> Job:
        """Record a new job and hand it to the queue; a queue failure fails the job."""
        self._jobs.create(job)
        try:
            self._queue.enqueue(job)
        except VitrineError as err:
            self.fail(job, JobError.of(err))
            raise
        return job

    def run(self, ref: JobRef) -> str:
        """Execute a referenced job (the worker Lambda); what happened, for metrics."""
        job = self._jobs.get(ref.tenant, ref.job_id)
        if job is None:
            return MISSING
        if job.status.terminal or self._handed_off(job):
            return SKIPPED
        return self.execute(job).status.value

    def execute(self, job: Job) -> Job:
        """Run a queued (or recovered) job.

        Returns the job as it ends up: terminal, or ``running`` when its outcome will
        arrive from elsewhere.
        """
        current = self._jobs.get(job.tenant, job.id)
        if current is None:
            log.warning("job %s vanished before it ran", job.id)
            return job
        if current.status.terminal or self._handed_off(current):
            return current  # a duplicate delivery: done already, or waiting
        try:
            running = self._jobs.transition(job.tenant, job.id, JobStatus.RUNNING)
        except InvalidJobTransition:
            return self._jobs.get(job.tenant, job.id) or current
        return self._guarded(running, lambda: self._execute(running))

    def _execute(self, job: Job) -> Job:
        entry = self._kinds.get(job.kind)
        if entry is None:
            raise DependencyUnavailable(
                f"{job.kind.value} jobs are not available on this deployment"
            )
        step = entry.execute(job, *self._data(entry, job))
        if isinstance(step, Finished):
            return self.succeed(job, step.result)
        if step.state is not None:
            try:
                return self._jobs.transition(
                    job.tenant,
                    job.id,
                    JobStatus.RUNNING,
                    internal=step.state.model_dump(mode="json"),
                )
            except (InvalidJobTransition, NotFound):
                pass  # its outcome came first: the job has ended (or was deleted)
        return self._jobs.get(job.tenant, job.id) or job

    def give_up(self, ref: JobRef, reason: VitrineError) -> str:
        """The queue gave up on ``ref``'s message (it reached the dead-letter queue after
        every retry): end the job ``failed`` with ``reason``, so no job waits forever.

        A terminal job is left alone, and so is a job whose work was handed off (its
        outcome still arrives through ``handle``). Returns the job's status or why nothing
        changed.
        """
        job = self._jobs.get(ref.tenant, ref.job_id)
        if job is None:
            return MISSING
        if job.status.terminal:
            return DUPLICATE
        if self._handed_off(job):
            return SKIPPED
        log.warning("job %s abandoned by the queue: %s", job.id, reason.detail)
        return self.fail(job, JobError.of(reason)).status.value

    def time_out_handoffs(self, timeout: timedelta, *, limit: int = 100) -> list[str]:
        """Fail the jobs whose work was handed off over ``timeout`` ago and never
        reported back (an async endpoint's notification lost): ``model-timeout``, through
        ``handle`` like any outcome, so the webhook fires. Returns their ids.

        Running jobs not handed off are left alone (read past, however many): the queue
        (its retries, its dead-letter queue) or the local worker's recovery answers for
        those. At most ``limit`` jobs are failed a call; the next call takes the rest.
        """
        timed_out: list[str] = []
        cutoff = utcnow() - timeout
        for seen in self._jobs.stalled(cutoff):
            if len(timed_out) >= limit:
                break
            # Read again: an index may lag (DynamoDB's GSIs), and the job may have moved.
            job = self._jobs.get(seen.tenant, seen.id) if self._handed_off(seen) else None
            if job is None or job.updated_at >= cutoff or not self._handed_off(job):
                continue
            minutes = max(1, round(timeout.total_seconds() / 60))
            reason = ModelTimedOut(
                f"The model did not report back within {minutes} minutes; submit the job again"
            )
            log.warning("job %s handed off at %s never heard back", job.id, job.updated_at)
            outcome = JobFailed(JobRef(job.tenant, job.id), JobError.of(reason))
            if self.handle(outcome) == JobStatus.FAILED:
                timed_out.append(job.id)
        return timed_out

    # --- the one completion path ---
    def handle(self, outcome: Outcome) -> str:
        """Apply an outcome to its job; return the job's status or why nothing changed.

        A missing job is ignored; an outcome of a kind the job does not take is
        ``ignored``; a terminal job means a duplicate delivery (SNS and EventBridge
        deliver at least once), so nothing changes and no second webhook is sent.
        """
        ref = outcome.job
        job = self._jobs.get(ref.tenant, ref.job_id)
        if job is None:
            log.warning("outcome for unknown job %s", ref.job_id)
            return MISSING
        entry = self._kinds.get(job.kind)
        if (
            entry is None
            or type(outcome) not in entry.accepts
            or (ref.kind is not None and ref.kind is not job.kind)
        ):
            log.warning(
                "%s for job %s of kind %s ignored", type(outcome).__name__, job.id, job.kind
            )
            return IGNORED
        if job.status.terminal:
            return DUPLICATE
        if isinstance(outcome, JobStarted):
            if job.status is JobStatus.QUEUED:
                self._jobs.transition(job.tenant, job.id, JobStatus.RUNNING)
            return JobStatus.RUNNING.value
        if isinstance(outcome, JobFailed):
            return self.fail(job, outcome.error).status.value
        complete = entry.complete
        if complete is None:
            raise TypeError(
                f"{job.kind.value} accepts {type(outcome).__name__} but cannot complete"
            )
        try:
            return self._guarded(
                job, lambda: self.succeed(job, complete(job, *self._data(entry, job), outcome))
            ).status.value
        except OutcomeRefused as refused:
            log.warning("outcome for job %s refused: %s", job.id, refused)
            return IGNORED

    # --- transitions ---
    def succeed(self, job: Job, result: dict[str, Any]) -> Job:
        event = self._event(job, JobStatus.SUCCEEDED)
        done = self._jobs.transition(
            job.tenant, job.id, JobStatus.SUCCEEDED, result=result, event=event
        )
        self._notify(done, event)
        return done

    def fail(self, job: Job, error: JobError) -> Job:
        """Mark the job failed (unless it already ended) and notify."""
        event = self._event(job, JobStatus.FAILED)
        try:
            done = self._jobs.transition(
                job.tenant, job.id, JobStatus.FAILED, error=error, event=event
            )
        except (InvalidJobTransition, NotFound):
            return self._jobs.get(job.tenant, job.id) or job
        self._notify(done, event)
        return done

    def _guarded(self, job: Job, step: Callable[[], Job]) -> Job:
        """Run ``step``; any failure ends the job as ``failed``."""
        try:
            return step()
        except OutcomeRefused:
            raise
        except VitrineError as err:
            log.info("job %s failed: %s: %s", job.id, err.slug, err.detail)
            return self.fail(job, JobError.of(err))
        except Exception:
            log.exception("job %s failed unexpectedly", job.id)
            return self.fail(job, INTERNAL_ERROR)

    def _event(self, job: Job, to: JobStatus) -> WebhookEvent | None:
        """The terminal transition's event, where the outbox takes it."""
        if self._outbox is None or job.callback_url is None:
            return None
        return WebhookEvent(id=new_id("msg"), type=f"job.{to.value}", url=job.callback_url)

    def _notify(self, job: Job, event: WebhookEvent | None) -> None:
        """Hand the recorded ``event`` to the outbox; without an outbox, send the job's
        terminal event to its ``callback_url`` (if it has one) now."""
        if self._outbox is not None:
            if event is not None:
                try:
                    self._outbox.notify(job, event)
                except Exception:  # recorded already: the outbox's sweep sends it later
                    log.exception("webhook %s of job %s not handed over", event.id, job.id)
            return
        if job.callback_url is None or not job.status.terminal:
            return
        try:
            self._webhooks.send(
                job.callback_url, f"job.{job.status.value}", {"job": self._present(job)}
            )
        except Exception:  # the job has ended; a notification problem must not change that
            log.exception("webhook for job %s could not be sent", job.id)

    # --- typed data ---
    @staticmethod
    def _data(entry: JobKindEntry[R, S], job: Job) -> tuple[R, S]:
        return entry.request.model_validate(job.request), entry.state.model_validate(job.internal)

    def _handed_off(self, job: Job) -> bool:
        entry = self._kinds.get(job.kind)
        if entry is None or job.status is not JobStatus.RUNNING:
            return False
        return bool(entry.state.model_validate(job.internal).handed_off)
