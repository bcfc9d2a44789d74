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
