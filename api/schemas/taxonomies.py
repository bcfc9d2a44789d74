"""Taxonomies: a tenant's attributes and the values each may take."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

if TYPE_CHECKING:
    from api.domain.taxonomies import Taxonomy, TaxonomySpec

MAX_ATTRIBUTES = 16
AttributeName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
MAX_VALUES = 64  # per attribute
MAX_TOTAL_VALUES = 512  # what the model scores for one image in one pass
TaxonomyName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
_PRINTABLE = r"^[^\x00-\x1f\x7f]+$"
AllowedValue = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=_PRINTABLE),
]
Question = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=200, pattern=_PRINTABLE),
]
ReviewThreshold = Annotated[float, Field(ge=0.0, le=1.0)]


class TaxonomyAttributeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    values: list[AllowedValue] = Field(
        min_length=2, max_length=MAX_VALUES, examples=[["sleeveless", "short", "long"]]
    )
    question: Question | None = Field(
        default=None,
        description="What the model is asked; default: the attribute's standard question.",
    )

    @field_validator("values")
    @classmethod
    def _distinct(cls, values: list[str]) -> list[str]:
        folded = [value.casefold() for value in values]
        if len(set(folded)) != len(folded):
            raise ValueError("values must be distinct (ignoring case)")
        return values


class TaxonomyIn(BaseModel):
    """A taxonomy's content: ``PUT /v1/taxonomies/{name}``, or inline on a request."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "attributes": {
                        "sleeve_length": {
                            "values": ["sleeveless", "short", "three-quarter", "long"]
                        },
                        "neckline": {
                            "values": ["crew", "v-neck", "collared"],
                            "question": "What is the neckline of this garment?",
                        },
                    },
                    "review_threshold": 0.6,
                }
            ]
        },
    )

    attributes: dict[AttributeName, TaxonomyAttributeIn] = Field(
        min_length=1,
        max_length=MAX_ATTRIBUTES,
        examples=[{"sleeve_length": {"values": ["sleeveless", "short", "three-quarter", "long"]}}],
    )
    review_threshold: ReviewThreshold | None = Field(
        default=None,
        description="Answers less confident than this are marked needs_review "
        "(a request's own threshold wins).",
    )

    @field_validator("attributes")
    @classmethod
    def _bounded(cls, attributes: dict[str, TaxonomyAttributeIn]) -> dict[str, TaxonomyAttributeIn]:
        total = sum(len(a.values) for a in attributes.values())
        if total > MAX_TOTAL_VALUES:
            raise ValueError(f"at most {MAX_TOTAL_VALUES} values in all ({total} given)")
        return attributes

    def spec(self) -> "TaxonomySpec":
        from api.domain.taxonomies import TaxonomyAttribute, TaxonomySpec

        return TaxonomySpec(
            attributes={
                name: TaxonomyAttribute(values=tuple(a.values), question=a.question)
                for name, a in self.attributes.items()
            },
            review_threshold=self.review_threshold,
        )


class TaxonomyAttributePublic(BaseModel):
    values: list[str]
    question: str | None


class TaxonomyPublic(BaseModel):
    name: str
    attributes: dict[str, TaxonomyAttributePublic]
    review_threshold: float | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, taxonomy: "Taxonomy") -> "TaxonomyPublic":
        return cls(
            name=taxonomy.name,
            attributes={
                name: TaxonomyAttributePublic(values=list(a.values), question=a.question)
                for name, a in taxonomy.spec.attributes.items()
            },
            review_threshold=taxonomy.spec.review_threshold,
            created_at=taxonomy.created_at,
            updated_at=taxonomy.updated_at,
        )


class TaxonomiesPublic(BaseModel):
    data: list[TaxonomyPublic]
    count: int
