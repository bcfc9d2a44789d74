"""``POST /v1/attribute-jobs``: attributes of many uploaded images, as one job."""

from fastapi import APIRouter, Response

from api.deps import AttributeBatchesDep, PresenterDep, TenantDep
from api.schemas.attribute_jobs import AttributeJobCreate
from api.schemas.common import problems
from api.schemas.jobs import JobPublic
from api.services.jobs import job_path

router = APIRouter(prefix="/attribute-jobs", tags=["attributes"])


@router.post(
    "",
    operation_id="createAttributeJob",
    status_code=202,
    responses=problems(400, 401, 404, 409, 413, 415, 422, 503),
)
def create(
    body: AttributeJobCreate,
    tenant: TenantDep,
    request_batch: AttributeBatchesDep,
    present: PresenterDep,
    response: Response,
) -> JobPublic:
    """Queue attributes for up to N images; poll the job at Location (or get the webhook)."""
    job = request_batch(tenant, body.command())
    response.headers["Location"] = job_path(job.id)
    return present.job(job)
