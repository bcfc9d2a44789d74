"""Segmentations: text-prompted masks (CLIPSeg) of one image."""

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import EXAMPLE_IMAGE, ImageIn, ImageOut, ResponseFormat

if TYPE_CHECKING:
    from api.domain.commands import SegmentationCommand


class SegmentationCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"image": EXAMPLE_IMAGE, "prompts": ["the shirt", "the trousers"]}]
        },
    )

    image: ImageIn
    prompts: list[str] = Field(
        min_length=1, max_length=8, description="What to segment, e.g. ['the dress']."
    )
    threshold: float | None = Field(default=None, ge=0.0, le=1.0, strict=True)
    response_format: ResponseFormat = "url"

    def command(self) -> "SegmentationCommand":
        from api.domain.commands import SegmentationCommand

        return SegmentationCommand(
            image=self.image.source(),
            prompts=tuple(self.prompts),
            threshold=self.threshold,
            response_format=self.response_format,
        )


class MaskPublic(ImageOut):
    prompt: str
    coverage: float = Field(ge=0.0, le=1.0, description="Share of the image the mask covers.")


class SegmentationPublic(BaseModel):
    id: str
    width: int
    height: int
    masks: list[MaskPublic]
