"""``JobCore``: execution, hand-off and the one completion path, over fakes of its ports."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from api.domain.errors import InvalidJobTransition, ModelInvocationFailed, NotFound
from api.domain.job_data import AsyncSubmission, JobData, NoState, TryOnState
from api.domain.jobs import Job, JobError, JobKind, JobStatus, WebhookEvent, utcnow
from api.domain.outcomes import JobFailed, JobRef, JobStarted, OutputReady, TrainingFinished
from api.services.jobs import (
    DUPLICATE,
    IGNORED,
    MISSING,
    SKIPPED,
    Finished,
    HandedOff,
    JobCore,
    JobKindEntry,
    OutcomeRefused,
)

if TYPE_CHECKING:
    from collections.abc import Iterator


class MemoryJobs:
    """A ``JobStore`` in a dict, with the stores' transition rules."""

    def __init__(self) -> None:
        self.jobs: dict[tuple[str, str], Job] = {}
        self.events: list[tuple[str, Any]] = []

    def create(self, job: Job) -> None:
        self.jobs[(job.tenant, job.id)] = job

    def get(self, tenant: str, job_id: str) -> Job | None:
        return self.jobs.get((tenant, job_id))

    def transition(self, tenant: str, job_id: str, to: JobStatus, *, result: Any = None,
                   error: Any = None, internal: Any = None, event: Any = None) -> Job:
        job = self.jobs.get((tenant, job_id))
        if job is None:
            raise NotFound(job_id)
        moved = job.moved(to, result=result, error=error)
        moved = replace(moved, internal={**job.internal, **(internal or {})})
        self.jobs[(tenant, job_id)] = moved
        if event is not None:
            self.events.append((job_id, event))
        return moved

    def list(self, tenant: str, *, kind: Any = None, limit: int = 50) -> list[Job]:
        return [j for (t, _), j in self.jobs.items() if t == tenant]

    def delete(self, tenant: str, job_id: str) -> bool:
        return self.jobs.pop((tenant, job_id), None) is not None

    def stalled(self, before: datetime) -> Iterator[Job]:
        found = [j for j in self.jobs.values()
                 if j.status is JobStatus.RUNNING and j.updated_at < before]
        return iter(sorted(found, key=lambda j: j.updated_at))

    def age(self, job_id: str, by: timedelta) -> None:
        """Make ``job_id``'s last update ``by`` older (time passing, without sleeping)."""
        key = next(k for k in self.jobs if k[1] == job_id)
        self.jobs[key] = replace(self.jobs[key], updated_at=self.jobs[key].updated_at - by)


class Queue:
    def __init__(self) -> None:
        self.enqueued: list[Job] = []

    def enqueue(self, job: Job) -> None:
        self.enqueued.append(job)


class RecordingWebhooks:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict[str, Any]]] = []

    def send(self, url: str, event: str, data: dict[str, Any]) -> bool:
        self.sent.append((url, event, data))
        return True


class Req(JobData):
    prompt: str


class Kind:
    """A try-on-like kind: ``execute`` submits, ``complete`` turns the output into a result."""

    def __init__(self) -> None:
        self.submitted: list[str] = []
        self.deliver_now: Any = None  # set: deliver this outcome during execute (local)
        self.complete_error: Exception | None = None
        self.core: JobCore | None = None

    def execute(self, job: Job, req: Req, state: TryOnState) -> HandedOff[TryOnState]:
        self.submitted.append(job.id)
        if self.deliver_now is not None and self.core is not None:
            self.core.handle(self.deliver_now(job))
        submission = AsyncSubmission(inference_id=job.id, output_location="s3://out/1")
        return HandedOff(TryOnState(submission=submission))

    def complete(self, job: Job, req: Req, state: TryOnState, outcome: Any) -> dict[str, Any]:
        if self.complete_error is not None:
            raise self.complete_error
        if state.submission and outcome.location not in (None, state.submission.output_location):
            raise OutcomeRefused("not this submission's output")
        return {"prompt": req.prompt, "answer": outcome.output["answer"]}


def at_once(job: Job, req: Req, state: NoState) -> Finished:
    return Finished({"echo": req.prompt})


def core_kinds(kind: Kind) -> dict[JobKind, JobKindEntry[Any, Any]]:
    return {
        JobKind.TRY_ON: JobKindEntry(
            request=Req, state=TryOnState, execute=kind.execute, complete=kind.complete,
            accepts=frozenset({OutputReady, JobFailed}),
        ),
        JobKind.AVATAR_GENERATION: JobKindEntry(request=Req, state=NoState, execute=at_once),
    }


@pytest.fixture
def parts() -> tuple[JobCore, MemoryJobs, RecordingWebhooks, Kind]:
    jobs, webhooks, kind = MemoryJobs(), RecordingWebhooks(), Kind()
    core = JobCore(
        jobs=jobs,
        queue=Queue(),
        webhooks=webhooks,
        kinds=core_kinds(kind),
        present=lambda job: {"id": job.id, "status": job.status.value},
    )
    kind.core = core
    return core, jobs, webhooks, kind


def new_job(kind: JobKind = JobKind.TRY_ON) -> Job:
    return Job.new(tenant="t1", kind=kind, request={"prompt": "p"}, ttl_days=1,
                   callback_url="https://hooks.example/x")


def ref(job: Job, kind: JobKind | None = JobKind.TRY_ON) -> JobRef:
    return JobRef(job.tenant, job.id, kind=kind)


def test_a_handed_off_job_records_its_typed_state_and_is_not_run_twice(parts: Any) -> None:
    core, jobs, webhooks, kind = parts
    job = core.submit(new_job())

    running = core.execute(job)

    assert running.status is JobStatus.RUNNING
    state = TryOnState.model_validate(running.internal)
    assert state.submission == AsyncSubmission(inference_id=job.id, output_location="s3://out/1")
    # A redelivered message: skipped by the worker Lambda's run and by execute alike
    assert core.run(ref(job)) == SKIPPED
    assert core.execute(job).status is JobStatus.RUNNING
    assert kind.submitted == [job.id]
    assert webhooks.sent == []


def test_an_output_completes_the_job_once_and_sends_one_webhook(parts: Any) -> None:
    core, jobs, webhooks, _ = parts
    job = core.submit(new_job())
    core.execute(job)
    ready = OutputReady(ref(job), {"answer": 42}, location="s3://out/1")

    assert core.handle(ready) == "succeeded"
    assert core.handle(ready) == DUPLICATE

    done = jobs.get("t1", job.id)
    assert done.result == {"prompt": "p", "answer": 42}
    assert webhooks.sent == [
        ("https://hooks.example/x", "job.succeeded", {"job": {"id": job.id, "status": "succeeded"}})
    ]


class RecordingOutbox:
    """A ``WebhookOutbox`` that records what it is handed (or fails to take it)."""

    def __init__(self) -> None:
        self.notified: list[tuple[Job, WebhookEvent]] = []
        self.broken = False

    def start(self, present: Any) -> None:
        pass

    def notify(self, job: Job, event: WebhookEvent) -> None:
        if self.broken:
            raise RuntimeError("queue down")
        self.notified.append((job, event))


def test_with_an_outbox_the_event_goes_with_the_transition_and_nothing_is_sent(
    parts: Any,
) -> None:
    _, jobs, webhooks, kind = parts
    outbox = RecordingOutbox()
    core = JobCore(
        jobs=jobs, queue=Queue(), webhooks=webhooks, kinds=core_kinds(kind),
        present=lambda job: {"id": job.id}, outbox=outbox,
    )  # fmt: skip
    job = core.submit(new_job())
    core.execute(job)
    assert core.handle(OutputReady(ref(job), {"answer": 1}, location="s3://out/1")) == "succeeded"
    assert core.handle(JobFailed(ref(job), JobError("x", "x"))) == DUPLICATE
    ((job_id, event),) = jobs.events
    assert job_id == job.id and event.type == "job.succeeded"
    assert event.url == "https://hooks.example/x" and event.id.startswith("msg_")
    assert webhooks.sent == []  # the outbox delivers, not the worker
    # Handed to the outbox once the transition committed (AWS: its SQS message).
    ((notified, handed),) = outbox.notified
    assert notified.status is JobStatus.SUCCEEDED and handed == event

    # A hand-over that fails is logged; the recorded event stays for the outbox's sweep.
    outbox.broken = True
    other = core.submit(new_job())
    core.execute(other)
    assert core.handle(OutputReady(ref(other), {"answer": 2}, location="s3://out/1")) == "succeeded"
    outbox.broken = False

    failing = core.submit(new_job())
    core.fail(failing, JobError("model-error", "Model error"))
    assert [e.type for _, e in jobs.events] == ["job.succeeded", "job.succeeded", "job.failed"]
    assert [e.type for _, e in outbox.notified] == ["job.succeeded", "job.failed"]


def test_outcomes_that_are_not_this_jobs_change_nothing(parts: Any) -> None:
    core, jobs, webhooks, _ = parts
    job = core.submit(new_job())
    core.execute(job)

    assert core.handle(OutputReady(JobRef("t1", "job_gone"), {})) == MISSING
    assert core.handle(OutputReady(ref(job), {"answer": 1}, location="s3://elsewhere")) == IGNORED
    assert core.handle(TrainingFinished(ref(job), artifacts="s3://a")) == IGNORED  # not taken
    assert core.handle(JobFailed(ref(job, JobKind.AVATAR_TRAINING), JobError("x", "X"))) == IGNORED
    assert core.handle(JobStarted(ref(job))) == IGNORED
    assert jobs.get("t1", job.id).status is JobStatus.RUNNING
    assert webhooks.sent == []


@pytest.mark.parametrize(
    ("error", "slug"),
    [(ModelInvocationFailed("no images"), "model-error"), (RuntimeError("bug"), "internal-error")],
)
def test_a_failing_completion_fails_the_job(parts: Any, error: Exception, slug: str) -> None:
    core, jobs, webhooks, kind = parts
    job = core.submit(new_job())
    core.execute(job)
    kind.complete_error = error

    assert core.handle(OutputReady(ref(job), {"answer": 1})) == "failed"
    assert jobs.get("t1", job.id).error.type == slug
    assert [event for _, event, _ in webhooks.sent] == ["job.failed"]


def test_a_failure_message_fails_the_job_with_its_reason(parts: Any) -> None:
    core, jobs, _, _ = parts
    job = core.submit(new_job())
    core.execute(job)
    error = JobError("model-input-rejected", "Rejected", "too dark")

    assert core.handle(JobFailed(ref(job), error)) == "failed"
    assert jobs.get("t1", job.id).error == error


def test_an_outcome_delivered_during_execute_ends_the_job(parts: Any) -> None:
    # The local runtime delivers before submit_async returns: the state is not recorded
    # over the ended job, and the job is not moved back to running.
    core, jobs, webhooks, kind = parts
    kind.deliver_now = lambda job: OutputReady(ref(job), {"answer": 7})
    job = core.submit(new_job())

    ended = core.execute(job)

    assert ended.status is JobStatus.SUCCEEDED and ended.result["answer"] == 7
    assert [event for _, event, _ in webhooks.sent] == ["job.succeeded"]
    with pytest.raises(InvalidJobTransition):
        jobs.transition("t1", job.id, JobStatus.RUNNING)


def test_a_kind_that_finishes_in_place_succeeds_at_once(parts: Any) -> None:
    core, _, _, _ = parts
    job = core.submit(new_job(JobKind.AVATAR_GENERATION))
    done = core.execute(job)
    assert done.status is JobStatus.SUCCEEDED and done.result == {"echo": "p"}


def test_a_kind_not_in_the_table_fails_as_unavailable(parts: Any) -> None:
    core, _, _, _ = parts
    job = core.submit(new_job(JobKind.AVATAR_TRAINING))
    done = core.execute(job)
    assert done.status is JobStatus.FAILED and done.error.type == "service-unavailable"


def test_a_handed_off_job_that_never_hears_back_fails_with_a_timeout(parts: Any) -> None:
    core, jobs, webhooks, _ = parts
    timeout = timedelta(hours=2)
    # Given a job handed off (an async endpoint's SNS notification never comes) ...
    lost = core.submit(new_job())
    core.execute(lost)
    # ... one handed off recently, one running in a worker (not handed off), one finished
    recent = core.submit(new_job())
    core.execute(recent)
    in_worker = core.submit(new_job(JobKind.AVATAR_GENERATION))
    jobs.transition("t1", in_worker.id, JobStatus.RUNNING)
    finished = core.submit(new_job())
    core.execute(finished)
    core.handle(OutputReady(ref(finished), {"answer": 1}, location="s3://out/1"))
    for job in (lost, in_worker, finished):
        jobs.age(job.id, timeout + timedelta(minutes=1))
    jobs.age(recent.id, timeout - timedelta(minutes=5))

    # When the sweep runs
    assert core.time_out_handoffs(timeout) == [lost.id]

    # Then only the lost one failed, with a reason on the server's side, and its webhook went
    failed = jobs.get("t1", lost.id)
    assert failed.status is JobStatus.FAILED
    assert failed.error.type == "model-timeout"
    assert "120 minutes" in failed.error.detail
    assert webhooks.sent[-1][1:] == ("job.failed", {"job": {"id": lost.id, "status": "failed"}})
    assert jobs.get("t1", recent.id).status is JobStatus.RUNNING
    assert jobs.get("t1", in_worker.id).status is JobStatus.RUNNING
    # A late notification changes nothing, and a second sweep finds nothing
    late = OutputReady(ref(lost), {"answer": 2}, location="s3://out/1")
    assert core.handle(late) == DUPLICATE
    assert core.time_out_handoffs(timeout) == []


def test_the_sweep_reads_past_running_jobs_it_leaves_alone_and_stops_at_its_limit(
    parts: Any,
) -> None:
    core, jobs, _, _ = parts
    timeout = timedelta(hours=2)
    # Given the oldest running jobs are many that are not handed off, then two lost ones
    stuck = [core.submit(new_job(JobKind.AVATAR_GENERATION)) for _ in range(5)]
    for age, job in enumerate(stuck):
        jobs.transition("t1", job.id, JobStatus.RUNNING)
        jobs.age(job.id, timeout * 10 - timedelta(minutes=age))
    lost = [core.submit(new_job()) for _ in range(2)]
    for age, job in enumerate(lost):
        core.execute(job)
        jobs.age(job.id, timeout * 2 - timedelta(minutes=age))

    # Then each call fails up to its limit of the lost ones, oldest first
    assert core.time_out_handoffs(timeout, limit=1) == [lost[0].id]
    assert core.time_out_handoffs(timeout, limit=1) == [lost[1].id]
    assert core.time_out_handoffs(timeout, limit=1) == []
    assert all(jobs.get("t1", j.id).status is JobStatus.RUNNING for j in stuck)


def test_the_sweep_acts_on_the_job_as_it_is_now_not_as_an_index_saw_it(parts: Any) -> None:
    core, jobs, _, _ = parts
    timeout = timedelta(hours=2)
    job = core.submit(new_job())
    core.execute(job)
    stale_view = replace(jobs.get("t1", job.id), updated_at=utcnow() - timeout * 2)
    # An index that lags: it still shows the job's older state
    jobs.stalled = lambda before: iter([stale_view])  # type: ignore[method-assign]
    assert core.time_out_handoffs(timeout) == []
    assert jobs.get("t1", job.id).status is JobStatus.RUNNING
