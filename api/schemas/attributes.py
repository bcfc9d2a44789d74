"""Attributes: typed product facts read off a product image (BLIP-2 Q&A)."""

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.schemas.common import EXAMPLE_IMAGE, ImageIn
from api.schemas.taxonomies import AttributeName as AttributeName
from api.schemas.taxonomies import ReviewThreshold, TaxonomyIn, TaxonomyName

if TYPE_CHECKING:
    from api.domain.commands import AttributesCommand
    from api.domain.results import Attributes

ModelId = Annotated[str, StringConstraints(pattern=r"^atm_[A-Za-z0-9_-]{1,64}$")]
ProductType = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z][A-Za-z -]{0,59}$")
]


class AttributesRequest(BaseModel):
    """What to read off which image; shared by attributes and products/describe."""

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
        description="Names such as fabric, fit, collar (default: the taxonomy's, else a set "
        "per product type).",
    )
    taxonomy: TaxonomyName | TaxonomyIn | None = Field(
        default=None,
        description="A stored taxonomy's name, or one inline: answers are then only its "
        "allowed values, each with a confidence normalised over them.",
    )
    review_threshold: ReviewThreshold | None = Field(
        default=None,
        description="Answers less confident than this get needs_review: true (default: the "
        "taxonomy's threshold; none: nothing is marked).",
    )
    model_id: ModelId | None = Field(
        default=None,
        description="A ready attribute model (POST /v1/attribute-models): its fine-tuned "
        "adapter answers instead of the base model.",
    )

    def command(self) -> "AttributesCommand":
        from api.domain.commands import AttributesCommand

        taxonomy = self.taxonomy
        return AttributesCommand(
            image=self.image.source(),
            product_type=self.product_type,
            attributes=tuple(self.attributes) if self.attributes is not None else None,
            taxonomy=taxonomy.spec() if isinstance(taxonomy, TaxonomyIn) else taxonomy,
            review_threshold=self.review_threshold,
            model_id=self.model_id,
        )


class AttributesCreate(AttributesRequest):
    pass


class AttributeAnswerPublic(BaseModel):
    value: str
    confidence: float = Field(
        description="With a taxonomy: the value's share of the model's likelihood over the "
        "allowed values (they sum to 1). Free answers: the model's probability of its answer."
    )
    needs_review: bool
    scores: dict[str, float] | None = Field(
        default=None, description="Every allowed value's normalised score (taxonomy only)."
    )


class AttributesPublic(BaseModel):
    attributes: dict[str, str]
    answers: dict[str, AttributeAnswerPublic]
    needs_review: list[str] = Field(description="Attributes below the review threshold.")
    review_threshold: float | None
    taxonomy: str | None = Field(description="The stored taxonomy's name; 'inline' or null.")
    product_type: str
    model: str
    model_id: str | None = Field(description="The attribute model that answered, if any.")

    @classmethod
    def of(cls, found: "Attributes") -> "AttributesPublic":
        return cls(
            attributes={name: a.value for name, a in found.answers.items()},
            answers={
                name: AttributeAnswerPublic(
                    value=a.value,
                    confidence=a.confidence,
                    needs_review=a.needs_review,
                    scores=a.scores,
                )
                for name, a in found.answers.items()
            },
            needs_review=[name for name, a in found.answers.items() if a.needs_review],
            review_threshold=found.review_threshold,
            taxonomy=found.taxonomy,
            product_type=found.product_type,
            model=found.model,
            model_id=found.model_id,
        )


class AttributeModelResult(BaseModel):
    """An attribute model's training job result: its held-out accuracy."""

    model_id: str
    accuracy: dict[str, float] = Field(
        description="Exact-match accuracy per attribute on held-out images (split by image)."
    )
    overall_accuracy: float | None = Field(description="Over every held-out row.")
    train_examples: int
    validation_examples: int
    validation_images: int
    steps: int
    training_job: str | None = None
    model_artifacts: str | None = None



class AttributeBatchItemPublic(BaseModel):
    upload_id: str
    status: Literal["succeeded", "failed"]
    product_type: str | None = None
    attributes: dict[str, str] | None = None
    answers: dict[str, AttributeAnswerPublic] | None = None
    needs_review: list[str] | None = None
    error: dict[str, str] | None = Field(
        default=None, description="Why this image has no answers (type, title, detail)."
    )


class AttributeBatchResult(BaseModel):
    """An attribute job's result: answers per image, in request order."""

    items: list[AttributeBatchItemPublic]
    succeeded: int
    failed: int
    needing_review: int = Field(description="Images with an answer below the threshold.")
    taxonomy: str | None = None
    model_id: str | None = None
