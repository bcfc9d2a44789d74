"""``/v1/attribute-models``: fine-tune BLIP-2 on the tenant's labelled images (a LoRA adapter)."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import AttributeModelsDep, TenantDep
from api.presenters import attribute_model_path, attribute_model_view
from api.schemas.attribute_models import (
    AttributeModelCreate,
    AttributeModelPublic,
    AttributeModelsPublic,
)
from api.schemas.common import problems

router = APIRouter(prefix="/attribute-models", tags=["attribute-models"])


@router.post(
    "",
    operation_id="createAttributeModel",
    status_code=202,
    responses=problems(400, 401, 404, 409, 413, 415, 422, 503),
)
def create(
    body: AttributeModelCreate, tenant: TenantDep, models: AttributeModelsDep, response: Response
) -> AttributeModelPublic:
    """Queue training on labelled images; poll the model at Location (or get the webhook)."""
    model = models.request(tenant, body.command())
    response.headers["Location"] = attribute_model_path(model.id)
    return attribute_model_view(model)


@router.get("", operation_id="listAttributeModels", responses=problems(401, 422, 503))
def read_all(
    tenant: TenantDep,
    models: AttributeModelsDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> AttributeModelsPublic:
    """The caller's attribute models, newest first."""
    found = [attribute_model_view(m) for m in models.list(tenant, limit=limit)]
    return AttributeModelsPublic(data=found, count=len(found))


@router.get("/{model_id}", operation_id="getAttributeModel", responses=problems(401, 404, 503))
def read(model_id: str, tenant: TenantDep, models: AttributeModelsDep) -> AttributeModelPublic:
    """The model (status, held-out accuracy), if it is the caller's."""
    return attribute_model_view(models.get(tenant, model_id))


@router.delete(
    "/{model_id}",
    operation_id="deleteAttributeModel",
    status_code=204,
    responses=problems(401, 404, 503),
)
def delete(model_id: str, tenant: TenantDep, models: AttributeModelsDep) -> Response:
    """Stop its training and delete its adapter, training data and record."""
    models.delete(tenant, model_id)
    return Response(status_code=204)
