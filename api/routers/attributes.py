"""``POST /v1/attributes``: product attributes read off an image."""

from fastapi import APIRouter

from api.deps import AttributesDep, TenantDep
from api.schemas.attributes import AttributesCreate, AttributesPublic
from api.schemas.common import problems

router = APIRouter(prefix="/attributes", tags=["attributes"])


@router.post(
    "",
    operation_id="extractAttributes",
    responses=problems(400, 401, 404, 413, 415, 422, 502, 503),
)
def create(body: AttributesCreate, tenant: TenantDep, extract: AttributesDep) -> AttributesPublic:
    """Answer one question per attribute, all in one model call (a taxonomy's values only,
    when one is given), each with a confidence."""
    return AttributesPublic.of(extract(tenant, body.command()))
