"""Try-ons: dress a photographed person in a garment, described or photographed (a job)."""

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.schemas.common import EXAMPLE_IMAGE, ImageIn, ResultImage, WithheldImage
from api.schemas.generation import GenerationOptions

if TYPE_CHECKING:
    from api.domain.commands import TryOnCommand

_PHOTO = {"upload_id": "upl_9f2c4e1ab37d4c0e8a61"}
_GARMENT = {"upload_id": "upl_b1e0c2d94f6a4a7e9c33"}


class TryOnCreate(GenerationOptions):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "image": EXAMPLE_IMAGE,
                    "garment_prompt": "a red linen shirt",
                    "category": "tops",
                    "variants": ["thumbnail", "card"],
                    "n": 2,
                    "seed": 7,
                    "callback_url": "https://shop.example/hooks/vitrine",
                }
            ]
        }
    )

    image: ImageIn = Field(description="The person (or mannequin) photo.", examples=[_PHOTO])
    garment_prompt: str | None = Field(
        default=None,
        description="The garment in words. Give this, garment_image, or both.",
        examples=["a red linen shirt"],
    )
    garment_image: ImageIn | None = Field(
        default=None,
        description=(
            "The garment's catalog photo (flat-lay or on-model), inline or an upload: it "
            "conditions an SDXL inpainting model through an IP-Adapter. Same formats and "
            "limits as `image`."
        ),
        examples=[_GARMENT],
    )
    garment_strength: float = Field(
        default=0.7,
        ge=0.0,
        le=1.0,
        strict=True,
        description="How much the garment photo weighs against the words (IP-Adapter scale).",
        examples=[0.7],
    )
    category: Literal["auto", "tops", "bottoms", "one-pieces"] = Field(
        default="auto",
        description=(
            "Which region to replace when no mask or mask_prompt is given: upper body, "
            "lower body or all clothes; `auto` reads it from garment_prompt."
        ),
        examples=["tops"],
    )
    mask_prompt: str | None = Field(
        default=None,
        description="What to replace, found by CLIPSeg (default: from the category).",
        examples=["upper body clothes"],
    )
    mask: ImageIn | None = Field(
        default=None,
        description="Or the region itself, the photo's size: white = replace.",
        examples=[{"upload_id": "upl_4d7a0c3e5b9f4e21a8d6"}],
    )
    format: Literal["png", "jpeg", "webp"] = Field(
        default="png",
        description="File format of the output images and their variants.",
        examples=["webp"],
    )
    quality: int = Field(
        default=90, ge=1, le=100, strict=True,
        description="JPEG/WebP quality (PNG is lossless).", examples=[85],
    )
    variants: list[Literal["thumbnail", "card", "detail"]] = Field(
        default_factory=list,
        max_length=3,
        description=(
            "Extra sizes stored beside each full-size image, each with its own short-lived "
            "URL; long sides are deployment settings (defaults 256, 768, 1600 px)."
        ),
        examples=[["thumbnail", "card"]],
    )

    style_model_id: str | None = Field(
        default=None,
        description=(
            "A ready style model of yours (POST /v1/models, kind style): its LoRA applies to "
            "the inpainting model, and its token is added to garment_prompt. Text-described "
            "garments only (not with garment_image)."
        ),
        examples=["sty_Qm1c4v5Zp2nKx8yT0wLr3g"],
    )
    style_weight: float = Field(
        default=1.0, ge=0.0, le=2.0, description="How strongly the style applies (LoRA scale)."
    )

    @model_validator(mode="after")
    def _valid_combination(self) -> "TryOnCreate":
        if self.mask is not None and self.mask_prompt is not None:
            raise ValueError("give 'mask' or 'mask_prompt', not both")
        if self.garment_prompt is None and self.garment_image is None:
            raise ValueError("give 'garment_prompt', 'garment_image' or both")
        if self.style_model_id is not None and self.garment_image is not None:
            raise ValueError("'style_model_id' applies to garment_prompt, not garment_image")
        return self

    def command(self) -> "TryOnCommand":
        from api.domain.commands import OutputOptions, TryOnCommand

        return TryOnCommand(
            image=self.image.source(),
            options=self.generation_input(),
            garment_prompt=self.garment_prompt,
            garment_image=self.garment_image.source() if self.garment_image else None,
            garment_strength=self.garment_strength,
            category=self.category,
            mask_prompt=self.mask_prompt,
            mask=self.mask.source() if self.mask is not None else None,
            output=OutputOptions(
                format=self.format,
                quality=self.quality,
                variants=tuple(dict.fromkeys(self.variants)),
            ),
            style_model_id=self.style_model_id,
            style_weight=self.style_weight,
        )


# --- the result (``JobPublic.result`` of a succeeded try-on) ---
class TryOnVariant(ResultImage):
    """One image at a smaller size: a short-lived URL and its pixel size."""

    width: int = Field(examples=[256])
    height: int = Field(examples=[341])


class TryOnImagePublic(ResultImage):
    """One output image at the input photo's size, with the variants asked for."""

    width: int | None = Field(default=None, examples=[3024])
    height: int | None = Field(default=None, examples=[4032])
    variants: dict[Literal["thumbnail", "card", "detail"], TryOnVariant] = Field(
        default_factory=dict,
        examples=[{"thumbnail": {"url": "https://…/image-0-thumbnail.webp", "width": 192,
                                 "height": 256}}],
    )


class TryOnResult(BaseModel):
    """A succeeded try-on: the images, the mask used, the seed to repeat it."""

    images: list[TryOnImagePublic] = Field(description="The try-on images that passed moderation.")
    mask: ResultImage = Field(
        description="The blend weight used (PNG, photo size): 0 keeps the photo's pixel, "
        "255 takes the model's; between, the feathered edge."
    )
    seed: int | None = Field(default=None, examples=[1234])
    withheld: list[WithheldImage] = Field(
        default_factory=list, description="Images moderation withheld."
    )
    format: Literal["png", "jpeg", "webp"] = "png"
    width: int | None = Field(default=None, description="Output width (the photo's).")
    height: int | None = Field(default=None, description="Output height (the photo's).")
