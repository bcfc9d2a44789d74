"""``POST /v1/try-ons``: start a virtual try-on job."""

from fastapi import APIRouter, Response

from api.deps import PresenterDep, TenantDep, TryOnsDep
from api.schemas.common import accepted, problems
from api.schemas.jobs import TryOnJob
from api.schemas.try_ons import TryOnCreate
from api.services.jobs import job_path

router = APIRouter(prefix="/try-ons", tags=["try-ons"])


@router.post(
    "",
    operation_id="createTryOn",
    status_code=202,
    responses={**accepted("job"), **problems(400, 401, 404, 409, 413, 415, 422, 503)},
)
def create(
    body: TryOnCreate,
    tenant: TenantDep,
    request_try_on: TryOnsDep,
    present: PresenterDep,
    response: Response,
) -> TryOnJob:
    """Queue a try-on; poll the job at Location (or receive the webhook)."""
    job = request_try_on(tenant, body.command())
    response.headers["Location"] = job_path(job.id)
    return present.job_as(job, TryOnJob)
