"""Attribute models: BLIP-2 LoRA adapters fine-tuned on a tenant's labelled images."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from api.schemas.attributes import AttributeModelResult, ProductType
from api.schemas.jobs import JobErrorPublic
from api.schemas.taxonomies import AttributeName, TaxonomyName

if TYPE_CHECKING:
    from api.domain.commands import AttributeModelCommand

MAX_ROWS = 5000
ModelStatus = Literal["queued", "training", "ready", "failed", "canceled"]
Cell = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class TrainingRowIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    image: Cell = Field(description="An upload id (POST /v1/uploads).")
    answer: Cell
    question: Cell | None = None
    attribute: AttributeName | None = Field(
        default=None, description="With a taxonomy, the question is the attribute's."
    )


class AttributeModelCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "summer-catalog",
                    "taxonomy": "dresses",
                    "rows": [
                        {"image": "upl_3q2-7xPq9lR0aB1cD2eF3g", "attribute": "sleeve_length",
                         "answer": "short"},
                    ],
                }
            ]
        },
    )

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    csv: str | None = Field(
        default=None,
        max_length=2_000_000,
        description="CSV text with a header: image (or upload_id, or the AWS sample's id: "
        "upload ids), answer, and question and/or attribute.",
        examples=["id,Question,Answer\nupl_abc,What is the sleeve length?,long\n"],
    )
    rows: list[TrainingRowIn] | None = Field(default=None, min_length=1, max_length=MAX_ROWS)
    taxonomy: TaxonomyName | None = Field(
        default=None,
        description="A stored taxonomy: rows may name just the attribute, and answers must "
        "be its allowed values.",
    )
    product_type: ProductType | None = Field(
        default=None,
        description="Names the product in the standard questions ('this shirt'): train with "
        "the product_type you will ask with.",
    )
    callback_url: str | None = Field(
        default=None, description="HTTPS URL that receives a signed POST when training ends."
    )

    @model_validator(mode="after")
    def _one_source(self) -> "AttributeModelCreate":
        if (self.csv is None) == (self.rows is None):
            raise ValueError("give exactly one of 'csv' or 'rows'")
        return self

    def command(self) -> "AttributeModelCommand":
        from api.domain.commands import AttributeModelCommand, RawRow

        return AttributeModelCommand(
            name=self.name,
            csv=self.csv,
            rows=tuple(
                RawRow(image=r.image, answer=r.answer, question=r.question, attribute=r.attribute)
                for r in self.rows or ()
            ),
            taxonomy=self.taxonomy,
            product_type=self.product_type,
            callback_url=self.callback_url,
        )


class AttributeTrainingPublic(BaseModel):
    steps: int
    epochs: int
    rank: int
    validation_fraction: float


class AttributeModelPublic(BaseModel):
    id: str
    name: str
    status: ModelStatus
    rows: int
    images: int
    attributes: list[str]
    taxonomy: str | None
    product_type: str | None
    training: AttributeTrainingPublic
    result: AttributeModelResult | None
    error: JobErrorPublic | None
    created_at: datetime
    updated_at: datetime
    links: dict[str, str]


class AttributeModelsPublic(BaseModel):
    data: list[AttributeModelPublic]
    count: int
