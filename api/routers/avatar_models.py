"""``/v1/avatar-models``: train an avatar on a subject's photos, generate it, delete it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import ContainerDep, TenantDep
from api.schemas.avatars import (
    AvatarGenerationCreate,
    AvatarModelCreate,
    AvatarModelPublic,
    AvatarModelsPublic,
)
from api.schemas.common import problems
from api.schemas.jobs import JobPublic
from api.services.avatar_generation import request_generation
from api.services.avatars import (
    avatar_path,
    avatar_view,
    delete_avatar,
    get_avatar,
    list_avatars,
    request_avatar,
)
from api.services.jobs import job_path, job_view

router = APIRouter(prefix="/avatar-models", tags=["avatar-models"])


@router.post("", status_code=202, responses=problems(400, 401, 413, 415, 422, 503))
def create(
    body: AvatarModelCreate, tenant: TenantDep, container: ContainerDep, response: Response
) -> AvatarModelPublic:
    """Queue training on 10-15 photos; poll the avatar at Location (or receive the webhook)."""
    avatar = request_avatar(container, tenant, body)
    response.headers["Location"] = avatar_path(avatar.id)
    return avatar_view(avatar)


@router.get("", responses=problems(401, 422))
def read_all(
    tenant: TenantDep,
    container: ContainerDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> AvatarModelsPublic:
    """The caller's avatars, newest first."""
    avatars = [avatar_view(a) for a in list_avatars(container, tenant, limit=limit)]
    return AvatarModelsPublic(data=avatars, count=len(avatars))


@router.get("/{avatar_id}", responses=problems(401, 404))
def read(avatar_id: str, tenant: TenantDep, container: ContainerDep) -> AvatarModelPublic:
    """The avatar (status, training figures), if it is the caller's."""
    return avatar_view(get_avatar(container, tenant, avatar_id))


@router.delete("/{avatar_id}", status_code=204, responses=problems(401, 404, 503))
def delete(avatar_id: str, tenant: TenantDep, container: ContainerDep) -> Response:
    """Stop its training and delete its adapter, photos, generated images and record."""
    delete_avatar(container, tenant, avatar_id)
    return Response(status_code=204)


@router.post(
    "/{avatar_id}/generations",
    status_code=202,
    responses=problems(400, 401, 404, 409, 422, 503),
)
def generate(
    avatar_id: str,
    body: AvatarGenerationCreate,
    tenant: TenantDep,
    container: ContainerDep,
    response: Response,
) -> JobPublic:
    """Queue images of a ready avatar; poll the job at Location (or receive the webhook)."""
    job = request_generation(container, tenant, avatar_id, body)
    response.headers["Location"] = job_path(job.id)
    return job_view(container, job)
