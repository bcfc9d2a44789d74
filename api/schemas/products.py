"""Products: image in, attributes and copy out, in one call."""

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.attributes import AttributeName, AttributesPublic, ProductType
from api.schemas.common import EXAMPLE_IMAGE, ImageIn
from api.schemas.descriptions import CopyOptions, DescriptionPublic

if TYPE_CHECKING:
    from api.domain.commands import AttributesCommand


class ProductDescribeCreate(CopyOptions):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"image": EXAMPLE_IMAGE, "product_type": "dress", "tone": "friendly"}]
        }
    )

    image: ImageIn
    product_type: ProductType | None = None
    attributes: list[AttributeName] | None = Field(default=None, min_length=1, max_length=16)

    def command(self) -> "AttributesCommand":
        from api.domain.commands import AttributesCommand

        return AttributesCommand(
            image=self.image.source(),
            product_type=self.product_type,
            attributes=tuple(self.attributes) if self.attributes is not None else None,
        )


class ProductDescriptionPublic(BaseModel):
    attributes: AttributesPublic
    description: DescriptionPublic
