"""DynamoDB job and idempotency stores under moto."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import boto3
import pytest

from api.adapters.aws.dynamo import DynamoJobStore
from api.adapters.aws.idempotency import DynamoIdempotencyStore
from api.domain import errors as e
from api.domain.jobs import Job, JobError, JobKind, JobStatus, utcnow
from api.ports import IdempotencyRecord
from tests.aws.conftest import REGION
from tests.aws.faults import throttle


def new_job(tenant: str = "t1", kind: JobKind = JobKind.TRY_ON, **request) -> Job:
    request = request or {"prompt": "red dress"}
    return Job.new(tenant=tenant, kind=kind, request=request, ttl_days=30)


@pytest.fixture
def jobs(aws):
    return DynamoJobStore(aws.jobs_table, settings=aws)


@pytest.fixture
def idem(aws):
    return DynamoIdempotencyStore(aws.jobs_table, settings=aws)


def raw_item(settings, tenant, sk):
    return boto3.client("dynamodb", region_name=REGION).get_item(
        TableName=settings.jobs_table, Key={"pk": {"S": f"TENANT#{tenant}"}, "sk": {"S": sk}}
    )["Item"]


def test_job_roundtrip_keeps_floats_ints_nesting_and_none(jobs):
    job = new_job(prompt="red dress", guidance_scale=7.5, steps=30, seed=None,
                  masks=[{"prompt": "dress", "threshold": 0.4}], ratio=1.0)

    jobs.create(job)
    loaded = jobs.get("t1", job.id)

    assert loaded is not None
    assert loaded.request == job.request
    assert isinstance(loaded.request["guidance_scale"], float)
    assert isinstance(loaded.request["steps"], int)
    assert isinstance(loaded.request["ratio"], float)
    assert loaded.created_at == job.created_at
    assert int(loaded.expires_at.timestamp()) == int(job.expires_at.timestamp())
    assert loaded.status is JobStatus.QUEUED and loaded.internal == {}


def test_item_layout_puts_tenant_in_partition_and_ttl_in_epoch_seconds(jobs, aws):
    job = new_job(tenant="tenant-a")
    jobs.create(job)

    item = raw_item(aws, "tenant-a", f"JOB#{job.id}")

    assert item["gsi1pk"] == {"S": "TENANT#tenant-a#KIND#try_on"}
    assert item["expires_at"] == {"N": str(int(job.expires_at.timestamp()))}


def test_create_twice_is_a_conflict(jobs):
    job = new_job()
    jobs.create(job)
    with pytest.raises(e.Conflict):
        jobs.create(job)


def test_another_tenants_job_is_missing(jobs):
    job = new_job(tenant="t1")
    jobs.create(job)

    assert jobs.get("t2", job.id) is None
    with pytest.raises(e.NotFound):
        jobs.transition("t2", job.id, JobStatus.RUNNING)
    assert jobs.delete("t2", job.id) is False
    assert jobs.get("t1", job.id) is not None


def test_transition_sets_result_error_and_merges_internal(jobs):
    job = new_job()
    jobs.create(job)

    running = jobs.transition("t1", job.id, JobStatus.RUNNING, internal={"inference_id": "i-1"})
    again = jobs.transition("t1", job.id, JobStatus.RUNNING, internal={"output_location": "s3://o"})
    done = jobs.transition("t1", job.id, JobStatus.SUCCEEDED, result={"images": [{"key": "t1/x"}]})

    assert running.status is JobStatus.RUNNING
    assert again.internal == {"inference_id": "i-1", "output_location": "s3://o"}
    assert done.status is JobStatus.SUCCEEDED
    assert done.result == {"images": [{"key": "t1/x"}]}
    assert done.updated_at >= job.updated_at


def test_a_terminal_job_never_changes_again(jobs):
    job = new_job()
    jobs.create(job)
    failure = JobError("model-error", "The model failed")
    jobs.transition("t1", job.id, JobStatus.FAILED, error=failure)

    for target in (JobStatus.SUCCEEDED, JobStatus.RUNNING, JobStatus.FAILED, JobStatus.QUEUED):
        with pytest.raises(e.InvalidJobTransition):
            jobs.transition("t1", job.id, target, result={"late": True})

    final = jobs.get("t1", job.id)
    assert final.status is JobStatus.FAILED
    assert final.error == JobError("model-error", "The model failed")
    assert final.result is None


def test_a_rival_terminal_write_landing_first_wins_the_race(jobs, aws):
    # Given a running job, and a rival writer (another Lambda) that finishes it just
    # before our UpdateItem reaches DynamoDB: the condition must be checked at write
    # time, not from an earlier read. (moto is not atomic across threads, so the race
    # is staged deterministically with a botocore hook.)
    job = new_job()
    jobs.create(job)
    jobs.transition("t1", job.id, JobStatus.RUNNING)
    rival = DynamoJobStore(aws.jobs_table, settings=aws,
                           client=boto3.client("dynamodb", region_name=REGION))
    staged: list[bool] = []

    def rival_finishes_first(**_: object) -> None:
        if not staged:
            staged.append(True)
            rival.transition("t1", job.id, JobStatus.SUCCEEDED, result={"by": "rival"})

    jobs.client.meta.events.register("before-call.dynamodb.UpdateItem", rival_finishes_first)

    # When our writer tries to fail the job
    with pytest.raises(e.InvalidJobTransition):
        jobs.transition("t1", job.id, JobStatus.FAILED, error=JobError("model-error", "late"))

    # Then the rival's terminal state stands, untouched
    final = jobs.get("t1", job.id)
    assert staged == [True]
    assert final.status is JobStatus.SUCCEEDED
    assert final.result == {"by": "rival"} and final.error is None


def test_list_by_kind_newest_first_per_tenant(jobs):
    base = utcnow()
    made = []
    for n, kind in enumerate([JobKind.TRY_ON, JobKind.AVATAR_TRAINING, JobKind.TRY_ON,
                              JobKind.AVATAR_GENERATION, JobKind.TRY_ON]):
        job = replace(new_job(kind=kind), created_at=base + timedelta(seconds=n))
        jobs.create(job)
        made.append(job)
    jobs.create(new_job(tenant="t2"))

    try_ons = jobs.list("t1", kind=JobKind.TRY_ON)
    everything = jobs.list("t1")
    top_two = jobs.list("t1", limit=2)

    assert [j.id for j in try_ons] == [made[4].id, made[2].id, made[0].id]
    assert [j.id for j in everything] == [j.id for j in reversed(made)]
    assert [j.id for j in top_two] == [made[4].id, made[3].id]


def test_delete_removes_the_record(jobs):
    job = new_job()
    jobs.create(job)
    assert jobs.delete("t1", job.id) is True
    assert jobs.get("t1", job.id) is None
    assert jobs.delete("t1", job.id) is False


def test_oversized_job_record_is_a_clear_413_class_error(jobs):
    with pytest.raises(e.PayloadTooLarge):
        jobs.create(new_job(blob="x" * 450_000))


def test_throttled_then_ok_is_retried_inside_botocore(aws, no_backoff):
    store = DynamoJobStore(aws.jobs_table, settings=aws)
    fault = throttle(store.client, "GetItem", times=2)

    assert store.get("t1", "job_missing") is None
    assert fault.calls == 3  # two throttled attempts, then moto answered


def test_a_throttled_write_is_retried_and_applied_once(aws, no_backoff):
    store = DynamoJobStore(aws.jobs_table, settings=aws)
    fault = throttle(store.client, "PutItem", times=2)
    job = new_job()

    store.create(job)  # a write applied twice would answer Conflict here

    assert fault.calls == 3
    assert store.get("t1", job.id).id == job.id


def test_persistent_throttling_is_dependency_unavailable(aws, no_backoff):
    store = DynamoJobStore(aws.jobs_table, settings=aws)
    fault = throttle(store.client, "GetItem", times=100)

    with pytest.raises(e.DependencyUnavailable, match="throttling"):
        store.get("t1", "job_x")
    assert fault.calls == aws.aws_max_attempts


# --- idempotency ---------------------------------------------------------------------


def record(key: str = "k1", tenant: str = "t1", request_hash: str = "h1", ttl_s: int = 3600):
    return IdempotencyRecord(tenant=tenant, key=key, request_hash=request_hash,
                             expires_at=utcnow() + timedelta(seconds=ttl_s))


def test_claim_complete_replay(idem):
    assert idem.claim(record()) is None
    in_progress = idem.claim(record())
    assert in_progress is not None and in_progress.status_code is None

    idem.complete("t1", "k1", status_code=202, body=b'{"id":"job_1"}', headers={"location": "/x"})
    replay = idem.claim(record(request_hash="other"))

    assert replay.status_code == 202
    assert replay.body == b'{"id":"job_1"}'
    assert replay.headers == {"location": "/x"}
    assert replay.request_hash == "h1"  # the caller compares hashes: same key, other body


def test_claims_are_per_tenant(idem):
    assert idem.claim(record(tenant="t1")) is None
    assert idem.claim(record(tenant="t2")) is None


def test_large_bodies_are_compressed_and_replayed_exactly(idem, aws):
    body = b'{"masks": "' + b"A" * 200_000 + b'"}'
    idem.claim(record())
    idem.complete("t1", "k1", status_code=200, body=body, headers={})

    assert idem.claim(record()).body == body
    item = raw_item(aws, "t1", "IDEMP#k1")
    assert item["body_encoding"] == {"S": "zlib"}
    assert len(item["body"]["B"]) < 10_000


def test_release_forgets_an_in_progress_claim_but_not_a_completed_one(idem):
    idem.claim(record("a"))
    idem.release("t1", "a")
    assert idem.claim(record("a")) is None

    idem.complete("t1", "a", status_code=201, body=b"{}", headers={})
    idem.release("t1", "a")
    assert idem.claim(record("a")).status_code == 201


def test_expired_and_stale_claims_can_be_claimed_again(aws):
    idem = DynamoIdempotencyStore(aws.jobs_table, settings=aws, in_progress_lease=timedelta(0))
    assert idem.claim(record("stale")) is None
    # in progress, but older than the (zero) lease: a dead Lambda's claim is taken over
    assert idem.claim(record("stale", request_hash="h2")) is None

    assert idem.claim(record("old", ttl_s=-10)) is None
    assert idem.claim(record("old")) is None  # expired: TTL has not swept it yet


def test_complete_after_release_does_not_resurrect_a_partial_record(idem):
    idem.claim(record("gone"))
    idem.release("t1", "gone")
    idem.complete("t1", "gone", status_code=200, body=b"{}", headers={})

    assert idem.claim(record("gone")) is None


def test_an_in_progress_claim_says_when_it_was_taken_and_the_wiring_bounds_its_lease(aws):
    from api.adapters.aws.wiring import build
    from api.domain.jobs import utcnow

    before = utcnow().replace(microsecond=0) - timedelta(seconds=1)
    store = build(aws.model_copy(update={"idempotency_lease_seconds": 7})).idempotency
    assert store._lease == timedelta(seconds=7)  # not the old 15 minutes
    assert store.claim(record("lease")) is None
    held = store.claim(record("lease"))
    assert held is not None and held.claimed_at is not None
    assert before <= held.claimed_at <= utcnow()  # Retry-After counts from here


def test_running_jobs_sit_in_the_sparse_running_index_until_they_end(jobs, aws):
    # Given three jobs: one queued, one running, one that ran and ended
    queued, running, ended = new_job(), new_job(tenant="t2"), new_job()
    for job in (queued, running, ended):
        jobs.create(job)
    jobs.transition("t2", running.id, JobStatus.RUNNING, internal={"submission": {"x": 1}})
    jobs.transition("t1", ended.id, JobStatus.RUNNING)
    jobs.transition("t1", ended.id, JobStatus.SUCCEEDED, result={})

    # Then only the running one is in the index (of every tenant), until it ends
    later = utcnow() + timedelta(seconds=1)
    assert [j.id for j in jobs.stalled(later)] == [running.id]
    assert list(jobs.stalled(utcnow() - timedelta(hours=1))) == []
    assert "gsi2pk" not in raw_item(aws, "t1", f"JOB#{ended.id}")
    assert "gsi2pk" not in raw_item(aws, "t1", f"JOB#{queued.id}")
    jobs.transition("t2", running.id, JobStatus.FAILED, error=JobError("x", "x"))
    assert list(jobs.stalled(later)) == []


def test_stalled_reads_every_page_oldest_first(jobs):
    made = [new_job(tenant=f"t{i}") for i in range(130)]
    for job in made:
        jobs.create(job)
        jobs.transition(job.tenant, job.id, JobStatus.RUNNING)
    found = [j.id for j in jobs.stalled(utcnow() + timedelta(seconds=1))]
    assert found == [j.id for j in made]  # past the first page of 100
