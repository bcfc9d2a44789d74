"""``GET /v1/jobs/{id}``: a job's status, result or error."""

from fastapi import APIRouter

from api.deps import ComparisonsDep, JobsDep, PresenterDep, TenantDep
from api.domain.jobs import JobKind
from api.schemas.common import problems
from api.schemas.jobs import JobPublic

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("/{job_id}", operation_id="getJob", responses=problems(401, 404))
def read(job_id: str, tenant: TenantDep, jobs: JobsDep, comparisons: ComparisonsDep,
         present: PresenterDep) -> JobPublic:
    """The job, if it is the caller's."""
    job = jobs.get(tenant, job_id)
    if job.kind is JobKind.COMPARISON:  # the same figures as GET /v1/comparisons/{id}
        job = comparisons.rated(job)
    return present.job(job)
