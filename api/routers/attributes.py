"""``POST /v1/attributes``: product attributes read off an image."""

from fastapi import APIRouter

from api.deps import AttributesDep, TenantDep
from api.schemas.attributes import AttributesCreate, AttributesPublic
from api.schemas.common import problems

router = APIRouter(prefix="/attributes", tags=["attributes"])


@router.post(
    "", operation_id="extractAttributes", responses=problems(400, 401, 413, 415, 422, 502, 503)
)
def create(body: AttributesCreate, tenant: TenantDep, extract: AttributesDep) -> AttributesPublic:
    """Answer one question per attribute, all in one model call."""
    found = extract(tenant, body.command())
    return AttributesPublic(
        attributes=found.attributes, product_type=found.product_type, model=found.model
    )
