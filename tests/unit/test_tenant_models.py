"""``resolve_adapter``: a tenant's ready model of an allowed kind, as the adapter key."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from api.domain.errors import Conflict, NotFound, RequestValidationFailed
from api.domain.jobs import Job, JobKind, JobStatus
from api.services.tenant_models import resolve_adapter


class Jobs:
    """Jobs by (tenant, id), as every JobStore scopes them."""

    def __init__(self, *jobs: Job) -> None:
        self._jobs = {(job.tenant, job.id): job for job in jobs}

    def get(self, tenant: str, job_id: str) -> Job | None:
        return self._jobs.get((tenant, job_id))


def model(tenant: str, kind: JobKind, status: JobStatus = JobStatus.SUCCEEDED,
          result: dict[str, Any] | None = None) -> Job:
    job = Job.new(tenant=tenant, kind=kind, request={}, ttl_days=1)
    return replace(job, status=status, result=result)



@pytest.mark.parametrize(("artifacts", "key"), [
    ("t1/models/job_a/", "t1/models/job_a"),
    ("s3://models-bucket/t1/models/job_a/output/model.tar.gz",
     "t1/models/job_a/output/model.tar.gz"),
])
def test_a_ready_model_resolves_to_its_artifacts_key(artifacts: str, key: str) -> None:
    job = model("t1", JobKind.PRODUCT_TRAINING,
                result={"kind": "product", "artifacts": artifacts, "base": "sdxl"})
    resolved = resolve_adapter(Jobs(job), "t1", job.id, {"product", "concept"})
    assert (resolved.key, resolved.type, resolved.kind, resolved.base) == (
        key, "lora", "product", "sdxl")


def test_a_concept_carries_its_token() -> None:
    job = model("t1", JobKind.CONCEPT_TRAINING,
                result={"kind": "concept", "artifacts": "t1/models/c", "token": "<c>"})
    resolved = resolve_adapter(Jobs(job), "t1", job.id, {"concept"})
    assert (resolved.type, resolved.token) == ("textual_inversion", "<c>")


def test_refusals() -> None:
    ready = model("t1", JobKind.PRODUCT_TRAINING, result={"artifacts": "t1/models/x"})
    training = model("t1", JobKind.PRODUCT_TRAINING, JobStatus.RUNNING)
    avatar = model("t1", JobKind.AVATAR_TRAINING, result={"artifacts": "t1/avatars/x"})
    other_job = model("t1", JobKind.TRY_ON, result={})
    attribute_model = model("t1", JobKind.ATTRIBUTE_MODEL_TRAINING, result={"artifacts": "t1/x"})
    jobs = Jobs(ready, training, avatar, other_job, attribute_model)
    with pytest.raises(NotFound):
        resolve_adapter(jobs, "t2", ready.id, {"product"})  # another tenant's
    with pytest.raises(NotFound):
        resolve_adapter(jobs, "t1", other_job.id, {"product"})  # not a model
    with pytest.raises(NotFound):  # an attribute model is no generation adapter
        resolve_adapter(jobs, "t1", attribute_model.id, {"product"})
    with pytest.raises(Conflict):
        resolve_adapter(jobs, "t1", training.id, {"product"})
    with pytest.raises(RequestValidationFailed):
        resolve_adapter(jobs, "t1", avatar.id, {"product", "concept"})
