"""``GET /v1/jobs/{id}``: a job's status, result or error."""

from fastapi import APIRouter

from api.deps import JobsDep, PresenterDep, TenantDep
from api.schemas.common import problems
from api.schemas.jobs import JobPublic

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("/{job_id}", operation_id="getJob", responses=problems(401, 404))
def read(job_id: str, tenant: TenantDep, jobs: JobsDep, present: PresenterDep) -> JobPublic:
    """The job, if it is the caller's."""
    return present.job(jobs.get(tenant, job_id))
