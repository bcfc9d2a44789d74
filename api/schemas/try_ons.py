"""Try-ons: dress a photographed person in a described garment (inpainting job)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.schemas.common import ImageIn


class TryOnCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    image: ImageIn = Field(description="The person (or mannequin) photo.")
    garment_prompt: str = Field(description="The garment to show, e.g. 'a red linen shirt'.")
    mask_prompt: str | None = Field(
        default=None,
        description="What to replace, found by CLIPSeg (default: derived from the garment).",
    )
    mask: ImageIn | None = Field(default=None, description="Or the region itself: white = replace.")
    negative_prompt: str | None = None
    n: int = Field(
        default=1, ge=1, le=8, description="Images to generate (deployment limit applies)."
    )
    seed: int | None = Field(default=None, ge=0, le=2**32 - 1)
    steps: int | None = Field(
        default=None, ge=1, description="Denoising steps (default 30, deployment limit applies)."
    )
    guidance_scale: float = Field(default=7.5, ge=0.0, le=20.0)
    callback_url: str | None = Field(
        default=None, description="HTTPS URL that receives a signed POST when the job ends."
    )

    @model_validator(mode="after")
    def _one_mask_source(self) -> TryOnCreate:
        if self.mask is not None and self.mask_prompt is not None:
            raise ValueError("give 'mask' or 'mask_prompt', not both")
        return self
