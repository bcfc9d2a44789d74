"""A job's ``progress`` in its view: the steps the model reported while it runs, else its
coarse stage (queued, submitted to an async model, running); nothing once it ended."""

from __future__ import annotations

from dataclasses import replace

from api.adapters.local.progress import MemoryProgressBoard
from api.domain.job_data import TryOnState
from api.domain.jobs import Job, JobKind, JobProgress, JobStatus
from api.presenters import Presenter
from api.schemas.jobs import TryOnJob


class _Urls:
    def url(self, key: str) -> str:
        return f"https://files.example/{key}"


def presenter(board: MemoryProgressBoard | None) -> Presenter:
    return Presenter(
        outputs=_Urls(),  # type: ignore[arg-type]
        progress=board,
        states={JobKind.TRY_ON: TryOnState},
    )


def try_on() -> Job:
    return Job.new(tenant="t", kind=JobKind.TRY_ON, request={}, ttl_days=1)


def test_a_queued_job_shows_its_stage() -> None:
    view = presenter(MemoryProgressBoard()).job_as(try_on(), TryOnJob)
    assert view.progress is not None and view.progress.stage == "queued"
    assert view.progress.done is None


def test_a_running_job_shows_the_steps_its_model_reported() -> None:
    board = MemoryProgressBoard()
    job = try_on().moved(JobStatus.RUNNING)
    board.report(job.id, JobProgress("running", done=3, total=30, unit="steps"))
    view = presenter(board).job_as(job, TryOnJob)
    assert view.progress is not None
    assert (view.progress.stage, view.progress.done, view.progress.total) == ("running", 3, 30)


def test_a_job_handed_to_an_async_model_shows_submitted() -> None:
    # Given a running try-on whose inference went to the async endpoint (AWS: no steps)
    job = replace(try_on().moved(JobStatus.RUNNING), internal={"submission": {"inference_id": "i"}})
    view = presenter(None).job_as(job, TryOnJob)
    assert view.progress is not None and view.progress.stage == "submitted"


def test_an_ended_job_has_no_progress() -> None:
    board = MemoryProgressBoard()
    job = try_on().moved(JobStatus.RUNNING)
    board.report(job.id, JobProgress("running", done=30, total=30, unit="steps"))
    ended = job.moved(JobStatus.FAILED)
    assert presenter(board).job_as(ended, TryOnJob).progress is None


def test_the_board_keeps_the_latest_report_of_a_bounded_number_of_jobs() -> None:
    board = MemoryProgressBoard(max_jobs=2)
    for job_id in ("a", "b", "c"):
        board.report(job_id, JobProgress("running", done=1, total=2))
    board.report("c", JobProgress("running", done=2, total=2))
    assert board.get("a") is None
    latest = board.get("c")
    assert latest is not None and latest.done == 2
