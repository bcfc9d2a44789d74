"""Try-ons: dress a photographed person in a described garment (inpainting job)."""

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.schemas.common import EXAMPLE_IMAGE, ImageIn, ResultImage, WithheldImage
from api.schemas.generation import GenerationOptions

if TYPE_CHECKING:
    from api.domain.commands import TryOnCommand


class TryOnCreate(GenerationOptions):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "image": EXAMPLE_IMAGE,
                    "garment_prompt": "a red linen shirt",
                    "n": 2,
                    "seed": 7,
                    "callback_url": "https://shop.example/hooks/vitrine",
                }
            ]
        }
    )

    image: ImageIn = Field(description="The person (or mannequin) photo.")
    garment_prompt: str = Field(description="The garment to show, e.g. 'a red linen shirt'.")
    mask_prompt: str | None = Field(
        default=None,
        description="What to replace, found by CLIPSeg (default: derived from the garment).",
    )
    mask: ImageIn | None = Field(default=None, description="Or the region itself: white = replace.")

    @model_validator(mode="after")
    def _one_mask_source(self) -> "TryOnCreate":
        if self.mask is not None and self.mask_prompt is not None:
            raise ValueError("give 'mask' or 'mask_prompt', not both")
        return self

    def command(self) -> "TryOnCommand":
        from api.domain.commands import TryOnCommand

        return TryOnCommand(
            image=self.image.source(),
            garment_prompt=self.garment_prompt,
            options=self.generation_input(),
            mask_prompt=self.mask_prompt,
            mask=self.mask.source() if self.mask is not None else None,
        )


class TryOnResult(BaseModel):
    """A succeeded try-on: the images, the mask that was inpainted, the seed used."""

    images: list[ResultImage] = Field(description="The try-on images that passed moderation.")
    mask: ResultImage = Field(description="The region that was replaced (white).")
    seed: int | None = None
    withheld: list[WithheldImage] = Field(description="Images moderation withheld.")
