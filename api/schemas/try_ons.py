"""Try-ons: dress a photographed person in a described garment (inpainting job)."""

from typing import TYPE_CHECKING

from pydantic import Field, model_validator

from api.schemas.common import ImageIn
from api.schemas.generation import GenerationOptions

if TYPE_CHECKING:
    from api.domain.commands import TryOnCommand


class TryOnCreate(GenerationOptions):
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
