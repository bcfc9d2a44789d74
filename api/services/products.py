"""Products: attributes from the image, then copy from those attributes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.schemas.attributes import AttributesCreate
from api.schemas.products import ProductDescriptionPublic
from api.services.attributes import extract_attributes
from api.services.descriptions import write_description

if TYPE_CHECKING:
    from api.bootstrap import Container
    from api.schemas.products import ProductDescribeCreate


def describe_product(
    container: Container, tenant: str, req: ProductDescribeCreate
) -> ProductDescriptionPublic:
    found = extract_attributes(
        container,
        tenant,
        AttributesCreate(image=req.image, product_type=req.product_type, attributes=req.attributes),
    )
    # Model answers are data like any client value; empty ones would only add noise.
    known = {name: value for name, value in found.attributes.items() if value}
    copy = write_description(container, found.product_type, known, req)
    return ProductDescriptionPublic(attributes=found, description=copy)
