"""Descriptions: product copy (title, text, bullets, keywords) from attributes."""

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.schemas.attributes import AttributeName

if TYPE_CHECKING:
    from api.domain.commands import CopyStyle

Tone = Literal["friendly", "casual", "professional", "elegant", "luxury", "playful", "minimal"]
Length = Literal["short", "medium", "long"]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]
AttributeValue = Annotated[str, StringConstraints(min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class CopyOptions(BaseModel):
    """How the copy should read; shared by descriptions and products/describe."""

    model_config = ConfigDict(extra="forbid")

    tone: Tone = "friendly"
    language: Language = Field(default="en", description="BCP 47, e.g. 'en', 'fr', 'de-CH'.")
    length: Length = "medium"
    brand: ShortText | None = None

    def style(self) -> "CopyStyle":
        from api.domain.commands import CopyStyle

        return CopyStyle(
            tone=self.tone, language=self.language, length=self.length, brand=self.brand
        )


class DescriptionCreate(CopyOptions):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "product_type": "shirt",
                    "attributes": {"fabric": "linen", "color": "red", "fit": "relaxed"},
                    "tone": "elegant",
                    "language": "en",
                }
            ]
        }
    )

    product_type: ShortText
    attributes: dict[AttributeName, AttributeValue] = Field(default_factory=dict, max_length=24)


class DescriptionPublic(BaseModel):
    title: str
    description: str
    bullets: list[str]
    keywords: list[str]
    model: str = Field(description="Which copywriter wrote it.")
