"""Products: image in, attributes and copy out, in one call."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.schemas.attributes import AttributeName, AttributesPublic, ProductType
from api.schemas.common import ImageIn
from api.schemas.descriptions import CopyOptions, DescriptionPublic


class ProductDescribeCreate(CopyOptions):
    image: ImageIn
    product_type: ProductType | None = None
    attributes: list[AttributeName] | None = Field(default=None, min_length=1, max_length=16)


class ProductDescriptionPublic(BaseModel):
    attributes: AttributesPublic
    description: DescriptionPublic
