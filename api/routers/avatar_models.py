"""``/v1/avatar-models``: train an avatar on a subject's photos, generate it, delete it."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import AvatarGenerationsDep, AvatarsDep, PresenterDep, TenantDep
from api.presenters import avatar_path, avatar_view
from api.schemas.avatars import (
    AvatarGenerationCreate,
    AvatarModelCreate,
    AvatarModelPublic,
    AvatarModelsPublic,
)
from api.schemas.common import accepted, problems
from api.schemas.jobs import AvatarGenerationJob
from api.services.jobs import job_path

router = APIRouter(prefix="/avatar-models", tags=["avatar-models"])


@router.post(
    "",
    operation_id="createAvatarModel",
    status_code=202,
    responses={**accepted("avatar"), **problems(400, 401, 413, 415, 422, 503)},
)
def create(
    body: AvatarModelCreate, tenant: TenantDep, avatars: AvatarsDep, response: Response
) -> AvatarModelPublic:
    """Queue training on 10-15 photos; poll the avatar at Location (or receive the webhook)."""
    avatar = avatars.request(tenant, body.command())
    response.headers["Location"] = avatar_path(avatar.id)
    return avatar_view(avatar)


@router.get("", operation_id="listAvatarModels", responses=problems(401, 422))
def read_all(
    tenant: TenantDep,
    avatars: AvatarsDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> AvatarModelsPublic:
    """The caller's avatars, newest first."""
    found = [avatar_view(a) for a in avatars.list(tenant, limit=limit)]
    return AvatarModelsPublic(data=found, count=len(found))


@router.get("/{avatar_id}", operation_id="getAvatarModel", responses=problems(401, 404))
def read(avatar_id: str, tenant: TenantDep, avatars: AvatarsDep) -> AvatarModelPublic:
    """The avatar (status, training figures), if it is the caller's."""
    return avatar_view(avatars.get(tenant, avatar_id))


@router.delete(
    "/{avatar_id}",
    operation_id="deleteAvatarModel",
    status_code=204,
    responses=problems(401, 404, 503),
)
def delete(avatar_id: str, tenant: TenantDep, avatars: AvatarsDep) -> Response:
    """Stop its training and delete its adapter, photos, generated images and record."""
    avatars.delete(tenant, avatar_id)
    return Response(status_code=204)


@router.post(
    "/{avatar_id}/generations",
    operation_id="createAvatarGeneration",
    status_code=202,
    responses={**accepted("job"), **problems(400, 401, 404, 409, 422, 503)},
)
def generate(
    avatar_id: str,
    body: AvatarGenerationCreate,
    tenant: TenantDep,
    request_generation: AvatarGenerationsDep,
    present: PresenterDep,
    response: Response,
) -> AvatarGenerationJob:
    """Queue images of a ready avatar; poll the job at Location (or receive the webhook)."""
    job = request_generation(tenant, avatar_id, body.command())
    response.headers["Location"] = job_path(job.id)
    return present.job_as(job, AvatarGenerationJob)
