"""Products: image in, attributes and copy out, in one call."""

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.attributes import AttributesPublic, AttributesRequest
from api.schemas.common import EXAMPLE_IMAGE
from api.schemas.descriptions import CopyOptions, DescriptionPublic


class ProductDescribeCreate(CopyOptions, AttributesRequest):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"image": EXAMPLE_IMAGE, "product_type": "dress", "tone": "friendly"}]
        }
    )


class ProductDescriptionPublic(BaseModel):
    attributes: AttributesPublic
    description: DescriptionPublic
    written_from: list[str] = Field(
        description="The attributes the copy was written from (at or above the threshold)."
    )
    held_for_review: list[str] = Field(
        description="Attributes below the review threshold, left out of the copy."
    )
