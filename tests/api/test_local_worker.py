"""The in-process worker: jobs left unfinished by a crash run after a restart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api_support import TENANT_A, A, FakeRuntime, b64, make_settings, png
from fastapi.testclient import TestClient

from api.adapters.local.wiring import build
from api.app import create_app
from api.domain.jobs import JobStatus

if TYPE_CHECKING:
    from pathlib import Path


def test_unfinished_jobs_are_recovered_on_start(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    # Given: two try-ons accepted while the worker was down, one of them caught mid-run.
    first = build(settings, runtime=FakeRuntime().bind)
    app = create_app(settings, first)  # connects the worker to the core, and starts it
    first.queue.close()  # type: ignore[attr-defined]
    body = {"image": {"base64": b64(png())}, "garment_prompt": "a blue shirt"}
    with TestClient(app) as client:
        ids = [client.post("/v1/try-ons", headers=A, json=body).json()["id"] for _ in range(2)]
    first.jobs.transition(TENANT_A, ids[1], JobStatus.RUNNING)
    assert {j.status for j in first.jobs.list(TENANT_A)} == {JobStatus.QUEUED, JobStatus.RUNNING}
    first.close()

    # When: the service starts again.
    runtime = FakeRuntime()
    second = build(settings, runtime=runtime.bind)
    create_app(settings, second)  # the worker starts, and recovers
    try:
        assert second.queue.wait_idle(timeout=10)  # type: ignore[attr-defined]
        # Then: both jobs ran to completion; nothing was lost.
        for job_id in ids:
            job = second.jobs.get(TENANT_A, job_id)
            assert job is not None and job.status is JobStatus.SUCCEEDED, job
        assert runtime.models_called().count("inpainting") == 2
    finally:
        second.close()


def test_a_finished_job_is_not_run_again(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    runtime = FakeRuntime()
    container = build(settings, runtime=runtime.bind)
    body = {"image": {"base64": b64(png())}, "garment_prompt": "a blue shirt"}
    with TestClient(create_app(settings, container)) as client:
        job_id = client.post("/v1/try-ons", headers=A, json=body).json()["id"]
    assert container.queue.wait_idle(timeout=10)  # type: ignore[attr-defined]
    job = container.jobs.get(TENANT_A, job_id)
    assert job is not None and job.status is JobStatus.SUCCEEDED
    # A duplicate delivery (e.g. SQS at-least-once) changes nothing.
    container.queue.enqueue(job)
    assert container.queue.wait_idle(timeout=10)  # type: ignore[attr-defined]
    assert runtime.models_called().count("inpainting") == 1
    container.close()


class ProcessKilled(BaseException):
    """Stands for the process dying mid-run: nothing below the worker catches it, so the
    job stays ``running`` in the store, as after a kill -9."""


def test_a_job_that_keeps_killing_the_process_fails_after_a_few_runs(tmp_path: Path) -> None:
    from api.adapters.local.worker import MAX_INTERRUPTED_RUNS

    settings = make_settings(tmp_path)
    # Given: a try-on caught mid-run by a crash.
    first = build(settings, runtime=FakeRuntime().bind)
    app = create_app(settings, first)
    first.queue.close()  # type: ignore[attr-defined]
    body = {"image": {"base64": b64(png())}, "garment_prompt": "a blue shirt"}
    with TestClient(app) as client:
        job_id = client.post("/v1/try-ons", headers=A, json=body).json()["id"]
    first.jobs.transition(TENANT_A, job_id, JobStatus.RUNNING)
    first.close()

    # When: every restart runs it again, and every run kills the process again.
    runs = []
    for _ in range(MAX_INTERRUPTED_RUNS):
        runtime = FakeRuntime()
        runtime.error = ProcessKilled()
        restarted = build(settings, runtime=runtime.bind)
        create_app(settings, restarted)
        try:
            assert restarted.queue.wait_idle(timeout=10)  # type: ignore[attr-defined]
            job = restarted.jobs.get(TENANT_A, job_id)
        finally:
            restarted.close()
        assert job is not None
        runs.append((bool(runtime.models_called()), job.status))

    # Then: it ran again after each interruption but the last, and then ended failed
    # with its reason, instead of being recovered forever.
    assert runs == [(True, JobStatus.RUNNING)] * (MAX_INTERRUPTED_RUNS - 1) + [
        (False, JobStatus.FAILED)
    ]
    assert job.error is not None and job.error.type == "service-unavailable"
    assert f"interrupted {MAX_INTERRUPTED_RUNS} times" in job.error.detail
    assert job.internal["interrupted_runs"] == MAX_INTERRUPTED_RUNS


def test_a_queued_job_is_not_counted_as_interrupted(tmp_path: Path) -> None:
    """Jobs that never started (queued at shutdown) are recovered however often."""
    settings = make_settings(tmp_path)
    first = build(settings, runtime=FakeRuntime().bind)
    app = create_app(settings, first)
    first.queue.close()  # type: ignore[attr-defined]
    body = {"image": {"base64": b64(png())}, "garment_prompt": "a blue shirt"}
    with TestClient(app) as client:
        job_id = client.post("/v1/try-ons", headers=A, json=body).json()["id"]
    first.close()
    for _ in range(5):
        again = build(settings, runtime=FakeRuntime().bind)
        again.queue.close()  # type: ignore[attr-defined]  # never starts: stays queued
        again.close()
    last = build(settings, runtime=FakeRuntime().bind)
    create_app(settings, last)
    try:
        assert last.queue.wait_idle(timeout=10)  # type: ignore[attr-defined]
        job = last.jobs.get(TENANT_A, job_id)
        assert job is not None and job.status is JobStatus.SUCCEEDED
        assert "interrupted_runs" not in job.internal
    finally:
        last.close()
