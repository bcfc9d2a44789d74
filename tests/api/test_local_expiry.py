"""The local expiry sweeper: jobs, their files, idempotency records and uploads past their
time are removed (S3 lifecycle and DynamoDB TTL on AWS); nothing else is."""

from __future__ import annotations

import json
import os
import time
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from api_support import TENANT_A, A, b64, make_settings, png, problem_type

from api.adapters.local.expiry import ExpirySweeper
from api.adapters.local.wiring import build
from api.domain.jobs import Job, JobKind, JobStatus, utcnow
from api.ports import IdempotencyRecord

if TYPE_CHECKING:
    from pathlib import Path

    from fastapi.testclient import TestClient
    from webhook_receiver import Receiver

    from api.ports import Adapters
    from api.settings import Settings


def sweeper(container: Adapters, *, days_later: float) -> ExpirySweeper:
    later = utcnow() + timedelta(days=days_later)
    return ExpirySweeper(
        jobs=container.jobs,  # type: ignore[arg-type]
        idempotency=container.idempotency,  # type: ignore[arg-type]
        uploads=container.uploads,  # type: ignore[arg-type]
        results=container.results,  # type: ignore[arg-type]
        clock=lambda: later,
    )


def test_expired_jobs_go_with_their_files(client: TestClient, container: Adapters) -> None:
    body = {"image": {"base64": b64(png())}, "garment_prompt": "a blue shirt"}
    job_id = client.post("/v1/try-ons", headers=A, json=body).json()["id"]
    assert container.queue.wait_idle(timeout=10)  # type: ignore[attr-defined]
    job = container.jobs.get(TENANT_A, job_id)
    assert job is not None and job.status is JobStatus.SUCCEEDED
    prefix = f"{TENANT_A}/jobs/{job_id}/"
    assert any(container.results.root.glob(f"{prefix}*"))  # type: ignore[attr-defined]

    assert sweeper(container, days_later=1).sweep().jobs == 0  # not yet
    assert client.get(f"/v1/jobs/{job_id}", headers=A).status_code == 200
    swept = sweeper(container, days_later=400).sweep()

    assert swept.jobs == 1
    assert client.get(f"/v1/jobs/{job_id}", headers=A).status_code == 404
    for store in (container.results, container.uploads):
        assert not any(store.root.glob(f"{prefix}*"))  # type: ignore[attr-defined]


def test_expired_idempotency_records_go(container: Adapters) -> None:
    store = container.idempotency
    for key, hours in (("old", 1), ("fresh", 48)):
        store.claim(
            IdempotencyRecord(
                tenant=TENANT_A, key=key, request_hash="h",
                expires_at=utcnow() + timedelta(hours=hours),
            )
        )  # fmt: skip
    assert sweeper(container, days_later=1).sweep().idempotency == 1
    rows = container.idempotency._db.query("SELECT key FROM idempotency")  # type: ignore[attr-defined]
    assert [row["key"] for row in rows] == ["fresh"]


def test_old_uploads_go(client: TestClient, container: Adapters) -> None:
    data = png()
    created = client.post(
        "/v1/uploads", json={"content_type": "image/png", "size_bytes": len(data)}, headers=A
    ).json()
    target = created["upload"]
    assert client.put(target["url"], content=data, headers=target["headers"]).status_code == 204
    key = f"{TENANT_A}/uploads/{created['upload_id']}"
    assert sweeper(container, days_later=0).sweep().uploads == 0
    path = container.uploads.root / key  # type: ignore[attr-defined]
    two_days_ago = time.time() - 2 * 86400
    os.utime(path, (two_days_ago, two_days_ago))

    assert sweeper(container, days_later=0).sweep().uploads == 1
    assert not container.uploads.exists(key)
    response = client.post(
        "/v1/segmentations",
        json={"image": {"upload_id": created["upload_id"]}, "prompts": ["shirt"]},
        headers=A,
    )
    assert response.status_code == 422 and problem_type(response) == "unknown-upload"


def test_the_local_wiring_sweeps_at_start(tmp_path: Path) -> None:
    from api.app import create_app

    settings = make_settings(tmp_path)
    first = build(settings)
    first.idempotency.claim(
        IdempotencyRecord(
            tenant=TENANT_A, key="k", request_hash="h", expires_at=utcnow() - timedelta(hours=1)
        )
    )
    first.close()
    again = build(settings)
    create_app(settings, again)  # connects the core: the worker and the sweeper start
    try:
        db = again.idempotency._db  # type: ignore[attr-defined]
        deadline = time.monotonic() + 5
        while db.query("SELECT key FROM idempotency") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert db.query("SELECT key FROM idempotency") == []
    finally:
        again.close()


def test_a_handed_off_job_that_never_hears_back_is_failed_by_the_sweeper(
    client: TestClient, container: Adapters, receiver: Receiver, settings: Settings
) -> None:
    # Given a try-on handed off to a model that never reported back, 3 hours ago
    # (the in-process runtime always reports; another runtime, or a crash, may not)
    job = replace(
        Job.new(tenant=TENANT_A, kind=JobKind.TRY_ON, request={}, ttl_days=1),
        callback_url=receiver.url,
    )
    container.jobs.create(job)
    submission = {"submission": {"inference_id": "inf-1"}}
    container.jobs.transition(TENANT_A, job.id, JobStatus.RUNNING, internal=submission)
    stale = (utcnow() - timedelta(seconds=settings.handoff_timeout_seconds + 60)).isoformat()
    with container.jobs._db.transaction() as conn:  # type: ignore[attr-defined]
        conn.execute("UPDATE jobs SET updated_at = ? WHERE id = ?", (stale, job.id))

    # When the sweeper's next pass runs (the core's hand-off sweep is one of its tasks)
    swept = next(c for c in container.closers if isinstance(c, ExpirySweeper))
    swept.sweep()

    # Then the job failed with a timeout on the server's side, and its webhook went out
    view = client.get(f"/v1/jobs/{job.id}", headers=A).json()
    assert view["status"] == "failed"
    assert view["error"]["type"].endswith("/model-timeout")
    assert receiver.delivered.wait(10)
    body = json.loads(receiver.deliveries[-1][1])
    assert body["type"] == "job.failed" and body["data"]["job"]["id"] == job.id
