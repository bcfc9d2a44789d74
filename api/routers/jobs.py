"""``GET /v1/jobs/{id}``: a job's status, result or error."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ContainerDep, TenantDep
from api.schemas.common import problems
from api.schemas.jobs import JobPublic
from api.services.jobs import get_job, job_view

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("/{job_id}", responses=problems(401, 404))
def read(job_id: str, tenant: TenantDep, container: ContainerDep) -> JobPublic:
    """The job, if it is the caller's."""
    return job_view(container, get_job(container, tenant, job_id))
