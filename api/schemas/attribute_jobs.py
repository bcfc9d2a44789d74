"""Attribute jobs: the same questions about many uploaded images (catalogue back-fill)."""

from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.schemas.attributes import ModelId, ProductType
from api.schemas.taxonomies import AttributeName, ReviewThreshold, TaxonomyIn, TaxonomyName

if TYPE_CHECKING:
    from api.domain.commands import AttributeBatchCommand

MAX_IMAGES_PARSED = 1000  # the deployment's limit (attribute_batch_max_images) applies
UploadId = Annotated[str, StringConstraints(pattern=r"^upl_[A-Za-z0-9_-]{1,64}$")]


class AttributeJobCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "upload_ids": ["upl_3q2-7xPq9lR0aB1cD2eF3g", "upl_9f2c4e1ab37d4c0e8a61"],
                    "taxonomy": "dresses",
                    "review_threshold": 0.6,
                }
            ]
        },
    )

    upload_ids: list[UploadId] = Field(
        min_length=1, max_length=MAX_IMAGES_PARSED, description="Product images (uploads)."
    )
    product_type: ProductType | None = None
    attributes: list[AttributeName] | None = Field(default=None, min_length=1, max_length=16)
    taxonomy: TaxonomyName | TaxonomyIn | None = None
    review_threshold: ReviewThreshold | None = None
    model_id: ModelId | None = None
    callback_url: str | None = Field(
        default=None, description="HTTPS URL that receives a signed POST when the job ends."
    )

    def command(self) -> "AttributeBatchCommand":
        from api.domain.commands import AttributeBatchCommand

        taxonomy = self.taxonomy
        return AttributeBatchCommand(
            upload_ids=tuple(self.upload_ids),
            product_type=self.product_type,
            attributes=tuple(self.attributes) if self.attributes is not None else None,
            taxonomy=taxonomy.spec() if isinstance(taxonomy, TaxonomyIn) else taxonomy,
            review_threshold=self.review_threshold,
            model_id=self.model_id,
            callback_url=self.callback_url,
        )
