"""``POST /v1/products/describe``: image to attributes to copy, in one call."""

from fastapi import APIRouter

from api.deps import ProductsDep, TenantDep
from api.routers.descriptions import copy_public
from api.schemas.attributes import AttributesPublic
from api.schemas.common import problems
from api.schemas.products import ProductDescribeCreate, ProductDescriptionPublic

router = APIRouter(prefix="/products", tags=["products"])


@router.post(
    "/describe",
    operation_id="describeProduct",
    responses=problems(400, 401, 404, 413, 415, 422, 502, 503),
)
def describe(
    body: ProductDescribeCreate, tenant: TenantDep, products: ProductsDep
) -> ProductDescriptionPublic:
    """Attributes from the image, then copy written from the confident ones only."""
    found = products(tenant, body.command(), body.style())
    return ProductDescriptionPublic(
        attributes=AttributesPublic.of(found.attributes),
        description=copy_public(found.copy),
        written_from=found.used,
        held_for_review=found.held_back,
    )
