"""``POST /v1/generations``: start an image generation job."""

from fastapi import APIRouter, Response

from api.deps import GenerationsDep, PresenterDep, TenantDep
from api.schemas.common import accepted, problems
from api.schemas.generations import GenerationCreate
from api.schemas.jobs import GenerationJob
from api.services.jobs import job_path

router = APIRouter(prefix="/generations", tags=["generations"])


@router.post(
    "",
    operation_id="createGeneration",
    status_code=202,
    responses={**accepted("job"), **problems(400, 401, 404, 409, 413, 415, 422, 503)},
)
def create(
    body: GenerationCreate,
    tenant: TenantDep,
    request_generation: GenerationsDep,
    present: PresenterDep,
    response: Response,
) -> GenerationJob:
    """Queue a generation; poll the job at Location (or receive the webhook).

    ``adapters`` name your own ready product/concept models: an unknown model (or
    another tenant's) is 404, one still training 409, one of another kind 422.
    """
    job = request_generation(tenant, body.command())
    response.headers["Location"] = job_path(job.id)
    return present.job_as(job, GenerationJob)
