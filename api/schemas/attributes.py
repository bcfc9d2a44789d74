"""Attributes: typed product facts read off a product image (BLIP-2 Q&A)."""

from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.schemas.common import EXAMPLE_IMAGE, ImageIn

if TYPE_CHECKING:
    from api.domain.commands import AttributesCommand

AttributeName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
ProductType = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z][A-Za-z -]{0,59}$")
]


class AttributesCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"image": EXAMPLE_IMAGE, "product_type": "shirt", "attributes": ["fabric", "fit"]}
            ]
        },
    )

    image: ImageIn
    product_type: ProductType | None = Field(
        default=None, description="e.g. 'shirt'; asked of the model when omitted."
    )
    attributes: list[AttributeName] | None = Field(
        default=None,
        min_length=1,
        max_length=16,
        description="Names such as fabric, fit, collar (default: a set per product type).",
    )

    def command(self) -> "AttributesCommand":
        from api.domain.commands import AttributesCommand

        return AttributesCommand(
            image=self.image.source(),
            product_type=self.product_type,
            attributes=tuple(self.attributes) if self.attributes is not None else None,
        )


class AttributesPublic(BaseModel):
    attributes: dict[str, str]
    product_type: str
    model: str
