"""Generations: SDXL text-to-image with the tenant's own models, a control photo or an
input photo (a job)."""

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.schemas.common import ImageIn, ResultImage, WithheldImage
from api.schemas.generation import GenerationOptions

if TYPE_CHECKING:
    from api.domain.commands import GenerationCommand

_PHOTO = {"upload_id": "upl_9f2c4e1ab37d4c0e8a61"}


class AdapterIn(BaseModel):
    """One of the tenant's ready models applied to the generation."""

    model_config = ConfigDict(extra="forbid")

    model_id: str = Field(description="A product (LoRA) or concept (textual inversion) model.",
                          examples=["job_Xq3v9t0bN2kLmP4rS8uW1y"])
    weight: float = Field(default=1.0, ge=-2.0, le=2.0, strict=True,
                          description="How strongly a LoRA applies (a concept's token in the "
                          "prompt is its control; its weight is not used).", examples=[0.8])


class ControlIn(BaseModel):
    """ControlNet: the layout of a reference photo (its edges or depth) guides the image."""

    model_config = ConfigDict(extra="forbid")

    image: ImageIn = Field(description="The reference photo.", examples=[_PHOTO])
    type: Literal["canny", "depth"] = Field(
        default="canny", description="canny: edges; depth: a depth map (where deployed).")
    strength: float = Field(default=0.8, ge=0.0, le=2.0, strict=True,
                            description="ControlNet conditioning scale.", examples=[0.8])


class GenerationCreate(GenerationOptions):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "prompt": "a linen summer dress on a model, studio light",
                    "size": "portrait",
                    "adapters": [{"model_id": "job_Xq3v9t0bN2kLmP4rS8uW1y", "weight": 0.8}],
                    "n": 2,
                    "seed": 7,
                },
                {
                    "prompt": "the same jacket in red leather",
                    "control": {"image": {"upload_id": "upl_9f2c4e1ab37d4c0e8a61"},
                                "type": "canny", "strength": 0.8},
                    "callback_url": "https://shop.example/hooks/vitrine",
                },
                {"prompt": "a sneaker, product shot", "variant": "turbo", "steps": 4},
            ]
        }
    )

    prompt: str = Field(description="What to draw (moderated).",
                        examples=["a linen summer dress on a model, studio light"])
    variant: Literal["base", "turbo"] = Field(
        default="base",
        description="base: SDXL (default 30 steps); turbo: SDXL-Turbo (1-8 steps, default 4, "
        "no guidance: guidance_scale is not used), where deployed.")
    size: Literal["square", "portrait", "landscape"] = Field(
        default="square",
        description="Aspect at the model's native area: 1:1, 4:5 or 16:9 (SDXL: about 1024²). "
        "With control or image, still this preset.")
    adapters: list[AdapterIn] = Field(default_factory=list, max_length=5,
                                      description="Your product and concept models, combined.")
    control: ControlIn | None = Field(default=None, description="A photo whose layout guides "
                                      "the image (ControlNet).")
    image: ImageIn | None = Field(default=None, description="img2img: a photo to start from.",
                                  examples=[_PHOTO])
    strength: float = Field(default=0.6, ge=0.01, le=1.0, strict=True,
                            description="img2img: how far from the photo (1 ignores it).")

    @model_validator(mode="after")
    def _one_reference(self) -> "GenerationCreate":
        if self.control is not None and self.image is not None:
            raise ValueError("give 'control' or 'image', not both")
        return self

    def command(self) -> "GenerationCommand":
        from api.domain.commands import AdapterUse, ControlInput, GenerationCommand

        return GenerationCommand(
            prompt=self.prompt,
            options=self.generation_input(),
            variant=self.variant,
            size=self.size,
            adapters=tuple(AdapterUse(a.model_id, a.weight) for a in self.adapters),
            control=ControlInput(self.control.image.source(), self.control.type,
                                 self.control.strength) if self.control else None,
            image=self.image.source() if self.image else None,
            strength=self.strength,
        )


# --- the result (``JobPublic.result`` of a succeeded generation) ---
class GeneratedImagePublic(ResultImage):
    width: int | None = Field(default=None, examples=[896])
    height: int | None = Field(default=None, examples=[1120])


class GenerationResult(BaseModel):
    """A succeeded generation: the images, the seed to repeat it, what was applied."""

    images: list[GeneratedImagePublic] = Field(description="Images that passed moderation.")
    seed: int | None = Field(default=None, examples=[1234])
    withheld: list[WithheldImage] = Field(default_factory=list,
                                          description="Images moderation withheld.")
    width: int | None = None
    height: int | None = None
    control_image: ResultImage | None = Field(
        default=None, description="The control image computed from the reference photo.")
    adapters: list[str] = Field(default_factory=list, description="The model ids applied.")
