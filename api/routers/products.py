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
    responses=problems(400, 401, 413, 415, 422, 502, 503),
)
def describe(
    body: ProductDescribeCreate, tenant: TenantDep, products: ProductsDep
) -> ProductDescriptionPublic:
    """Attributes from the image, then copy written from them."""
    found = products(tenant, body.command(), body.style())
    return ProductDescriptionPublic(
        attributes=AttributesPublic(
            attributes=found.attributes.attributes,
            product_type=found.attributes.product_type,
            model=found.attributes.model,
        ),
        description=copy_public(found.copy),
    )
