"""``/v1/models``: a tenant's fine-tuned models, one family with a ``kind``.

``avatar`` models are the same records as ``/v1/avatar-models`` (which stays, for its
generations and existing clients); ``style``, ``product`` and ``concept`` models are
trained on captioned images. Create queues the training; the model id is its job's id.
"""

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response

from api.deps import AvatarsDep, ModelsDep, TenantDep
from api.domain.errors import NotFound
from api.domain.jobs import Job, JobKind
from api.presenters import model_path, model_view
from api.schemas.common import accepted, problems
from api.schemas.models import (
    MODEL_CREATE_EXAMPLES,
    AvatarModelIn,
    ModelCreate,
    ModelKind,
    ModelPublic,
    ModelsPublic,
)

router = APIRouter(prefix="/models", tags=["models"])


@router.post(
    "",
    operation_id="createModel",
    status_code=202,
    responses={**accepted("model"), **problems(400, 401, 404, 413, 415, 422, 503)},
)
def create(
    body: Annotated[ModelCreate, Body(openapi_examples=MODEL_CREATE_EXAMPLES)],
    tenant: TenantDep,
    models: ModelsDep,
    avatars: AvatarsDep,
    response: Response,
) -> ModelPublic:
    """Queue training of a model of ``kind``; poll it at Location (or get the webhook).

    Every image and caption is checked first: a bad set is refused (422, naming each
    problem) before anything is stored or any model loads.
    """
    if isinstance(body, AvatarModelIn):
        model = avatars.request(tenant, body.command())
    else:
        model = models.request(tenant, body.command())
    response.headers["Location"] = model_path(model.id)
    return model_view(model)


@router.get("", operation_id="listModels", responses=problems(401, 422, 503))
def read_all(
    tenant: TenantDep,
    models: ModelsDep,
    avatars: AvatarsDep,
    kind: Annotated[ModelKind | None, Query(description="Only models of this kind.")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ModelsPublic:
    """The caller's models (of one kind, or all), newest first."""
    kinds: tuple[ModelKind, ...] = (kind,) if kind else ("avatar", "style", "product", "concept")
    found = []
    for k in kinds:
        found += avatars.list(tenant, limit=limit) if k == "avatar" else models.list(
            tenant, kind=k, limit=limit)  # fmt: skip
    found.sort(key=lambda job: job.created_at, reverse=True)
    views = [model_view(m) for m in found[:limit]]
    return ModelsPublic(data=views, count=len(views))


def _model(tenant: str, model_id: str, models: ModelsDep, avatars: AvatarsDep) -> Job:
    """The caller's model of any kind; 404 for another tenant's or any other job's id."""
    try:
        return models.get(tenant, model_id)
    except NotFound:
        return avatars.get(tenant, model_id)


@router.get("/{model_id}", operation_id="getModel", responses=problems(401, 404, 503))
def read(model_id: str, tenant: TenantDep, models: ModelsDep, avatars: AvatarsDep) -> ModelPublic:
    """The model (status, training figures), if it is the caller's."""
    return model_view(_model(tenant, model_id, models, avatars))


@router.delete(
    "/{model_id}", operation_id="deleteModel", status_code=204, responses=problems(401, 404, 503)
)
def delete(model_id: str, tenant: TenantDep, models: ModelsDep, avatars: AvatarsDep) -> Response:
    """Stop its training and delete its adapter, training data and record."""
    if _model(tenant, model_id, models, avatars).kind is JobKind.AVATAR_TRAINING:
        avatars.delete(tenant, model_id)
    else:
        models.delete(tenant, model_id)
    return Response(status_code=204)
