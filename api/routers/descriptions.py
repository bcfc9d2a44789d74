"""``POST /v1/descriptions``: product copy from attributes."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ContainerDep, TenantDep
from api.schemas.common import problems
from api.schemas.descriptions import DescriptionCreate, DescriptionPublic
from api.services.descriptions import write_description

router = APIRouter(prefix="/descriptions", tags=["descriptions"])


@router.post("", responses=problems(400, 401, 422, 502, 503))
def create(
    body: DescriptionCreate, tenant: TenantDep, container: ContainerDep
) -> DescriptionPublic:
    """Title, description, bullets and keywords for a product."""
    return write_description(container, body.product_type, body.attributes, body)
