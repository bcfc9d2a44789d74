"""``POST /v1/products/describe``: image to attributes to copy, in one call."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ContainerDep, TenantDep
from api.schemas.common import problems
from api.schemas.products import ProductDescribeCreate, ProductDescriptionPublic
from api.services.products import describe_product

router = APIRouter(prefix="/products", tags=["products"])


@router.post("/describe", responses=problems(400, 401, 413, 415, 422, 502, 503))
def describe(
    body: ProductDescribeCreate, tenant: TenantDep, container: ContainerDep
) -> ProductDescriptionPublic:
    """Attributes from the image, then copy written from them."""
    return describe_product(container, tenant, body)
