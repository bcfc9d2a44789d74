"""SQLite stores: conditional transitions, tenant scoping, idempotency claims."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from api.adapters.local.sqlite import Database, SqliteIdempotencyStore, SqliteJobStore
from api.domain.errors import Conflict, InvalidJobTransition, NotFound
from api.domain.jobs import Job, JobError, JobKind, JobStatus, utcnow
from api.ports import IdempotencyRecord

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(tmp_path / "vitrine.db")


def new_job(tenant: str = "t1") -> Job:
    return Job.new(tenant=tenant, kind=JobKind.TRY_ON, request={"image_key": "k"}, ttl_days=1)


def test_round_trip_and_tenant_scoping(db: Database) -> None:
    store = SqliteJobStore(db)
    job = new_job()
    store.create(job)
    assert store.get("t1", job.id) == job
    assert store.get("t2", job.id) is None
    with pytest.raises(Conflict):
        store.create(job)


def test_a_terminal_job_never_changes(db: Database) -> None:
    store = SqliteJobStore(db)
    job = new_job()
    store.create(job)
    store.transition("t1", job.id, JobStatus.RUNNING, internal={"attempt": 1})
    done = store.transition("t1", job.id, JobStatus.SUCCEEDED, result={"images": []})
    assert done.status is JobStatus.SUCCEEDED and done.internal == {"attempt": 1}
    for target in (JobStatus.FAILED, JobStatus.RUNNING, JobStatus.QUEUED, JobStatus.SUCCEEDED):
        with pytest.raises(InvalidJobTransition):
            store.transition("t1", job.id, target, error=JobError("x", "y"))
    stored = store.get("t1", job.id)
    assert stored is not None
    assert (stored.status, stored.result, stored.error) == (
        JobStatus.SUCCEEDED,
        {"images": []},
        None,
    )


def test_transition_of_a_missing_or_foreign_job(db: Database) -> None:
    store = SqliteJobStore(db)
    job = new_job("t1")
    store.create(job)
    with pytest.raises(NotFound):
        store.transition("t2", job.id, JobStatus.RUNNING)
    with pytest.raises(NotFound):
        store.transition("t1", "job_nope", JobStatus.RUNNING)


def test_list_unfinished_and_delete(db: Database) -> None:
    store = SqliteJobStore(db)
    first, second, other = new_job(), new_job(), new_job("t2")
    for job in (first, second, other):
        store.create(job)
    store.transition("t1", second.id, JobStatus.FAILED, error=JobError("model-error", "x"))
    assert [j.id for j in store.list("t1")] == [second.id, first.id]
    assert {j.id for j in store.unfinished()} == {first.id, other.id}
    assert store.delete("t1", first.id) and not store.delete("t1", first.id)


def record(
    key: str = "k1", request_hash: str = "h1", ttl: timedelta = timedelta(hours=1)
) -> IdempotencyRecord:
    return IdempotencyRecord(
        tenant="t1", key=key, request_hash=request_hash, expires_at=utcnow() + ttl
    )


def test_idempotency_claim_complete_and_replay(db: Database) -> None:
    store = SqliteIdempotencyStore(db)
    assert store.claim(record()) is None
    in_progress = store.claim(record())
    assert in_progress is not None and in_progress.status_code is None
    store.complete("t1", "k1", status_code=202, body=b"{}", headers={"location": "/v1/jobs/j"})
    done = store.claim(record())
    assert done is not None
    assert (done.status_code, done.body, done.headers) == (202, b"{}", {"location": "/v1/jobs/j"})


def test_idempotency_release_and_expiry(db: Database) -> None:
    store = SqliteIdempotencyStore(db)
    assert store.claim(record()) is None
    store.release("t1", "k1")
    assert store.claim(record()) is None  # released: claimable again
    assert store.claim(record("k2", ttl=timedelta(seconds=-1))) is None
    assert store.claim(record("k2")) is None  # the expired record does not count


def test_abandoned_in_progress_claims_lapse_after_the_lease(db: Database) -> None:
    store = SqliteIdempotencyStore(db, in_progress_lease=timedelta(seconds=-1))
    assert store.claim(record()) is None
    assert store.claim(record()) is None
