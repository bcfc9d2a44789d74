from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.try_on_create_category import TryOnCreateCategory, check_try_on_create_category
from ..models.try_on_create_format import TryOnCreateFormat, check_try_on_create_format
from ..models.try_on_create_variants_item import TryOnCreateVariantsItem, check_try_on_create_variants_item
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.image_in import ImageIn


T = TypeVar("T", bound="TryOnCreate")


@_attrs_define
class TryOnCreate:
    """
    Attributes:
        image (ImageIn): An image: inline base64 (small) or the id of an upload (up to the upload limit).
        negative_prompt (None | str | Unset):
        n (int | Unset): Images to generate (deployment limit applies). Default: 1.
        seed (int | None | Unset):
        steps (int | None | Unset): Denoising steps (default 30, deployment limit applies).
        guidance_scale (float | Unset):  Default: 7.5.
        callback_url (None | str | Unset): HTTPS URL that receives a signed POST when the job ends.
        garment_prompt (None | str | Unset): The garment in words. Give this, garment_image, or both.
        garment_image (ImageIn | None | Unset): The garment's catalog photo (flat-lay or on-model), inline or an upload:
            it conditions an SDXL inpainting model through an IP-Adapter. Same formats and limits as `image`.
        garment_strength (float | Unset): How much the garment photo weighs against the words (IP-Adapter scale).
            Default: 0.7.
        category (TryOnCreateCategory | Unset): Which region to replace when no mask or mask_prompt is given: upper
            body, lower body or all clothes; `auto` reads it from garment_prompt. Default: 'auto'.
        mask_prompt (None | str | Unset): What to replace, found by CLIPSeg (default: from the category).
        mask (ImageIn | None | Unset): Or the region itself, the photo's size: white = replace.
        format_ (TryOnCreateFormat | Unset): File format of the output images and their variants. Default: 'png'.
        quality (int | Unset): JPEG/WebP quality (PNG is lossless). Default: 90.
        variants (list[TryOnCreateVariantsItem] | Unset): Extra sizes stored beside each full-size image, each with its
            own short-lived URL; long sides are deployment settings (defaults 256, 768, 1600 px).
        style_model_id (None | str | Unset): A ready style model of yours (POST /v1/models, kind style): its LoRA
            applies to the inpainting model, and its token is added to garment_prompt. Text-described garments only (not
            with garment_image).
        style_weight (float | Unset): How strongly the style applies (LoRA scale). Default: 1.0.
    """

    image: ImageIn
    negative_prompt: None | str | Unset = UNSET
    n: int | Unset = 1
    seed: int | None | Unset = UNSET
    steps: int | None | Unset = UNSET
    guidance_scale: float | Unset = 7.5
    callback_url: None | str | Unset = UNSET
    garment_prompt: None | str | Unset = UNSET
    garment_image: ImageIn | None | Unset = UNSET
    garment_strength: float | Unset = 0.7
    category: TryOnCreateCategory | Unset = "auto"
    mask_prompt: None | str | Unset = UNSET
    mask: ImageIn | None | Unset = UNSET
    format_: TryOnCreateFormat | Unset = "png"
    quality: int | Unset = 90
    variants: list[TryOnCreateVariantsItem] | Unset = UNSET
    style_model_id: None | str | Unset = UNSET
    style_weight: float | Unset = 1.0

    def to_dict(self) -> dict[str, Any]:
        from ..models.image_in import ImageIn  # noqa: PLC0415

        image = self.image.to_dict()

        negative_prompt: None | str | Unset
        if isinstance(self.negative_prompt, Unset):
            negative_prompt = UNSET
        else:
            negative_prompt = self.negative_prompt

        n = self.n

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        steps: int | None | Unset
        if isinstance(self.steps, Unset):
            steps = UNSET
        else:
            steps = self.steps

        guidance_scale = self.guidance_scale

        callback_url: None | str | Unset
        if isinstance(self.callback_url, Unset):
            callback_url = UNSET
        else:
            callback_url = self.callback_url

        garment_prompt: None | str | Unset
        if isinstance(self.garment_prompt, Unset):
            garment_prompt = UNSET
        else:
            garment_prompt = self.garment_prompt

        garment_image: dict[str, Any] | None | Unset
        if isinstance(self.garment_image, Unset):
            garment_image = UNSET
        elif isinstance(self.garment_image, ImageIn):
            garment_image = self.garment_image.to_dict()
        else:
            garment_image = self.garment_image

        garment_strength = self.garment_strength

        category: str | Unset = UNSET
        if not isinstance(self.category, Unset):
            category = self.category

        mask_prompt: None | str | Unset
        if isinstance(self.mask_prompt, Unset):
            mask_prompt = UNSET
        else:
            mask_prompt = self.mask_prompt

        mask: dict[str, Any] | None | Unset
        if isinstance(self.mask, Unset):
            mask = UNSET
        elif isinstance(self.mask, ImageIn):
            mask = self.mask.to_dict()
        else:
            mask = self.mask

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_

        quality = self.quality

        variants: list[str] | Unset = UNSET
        if not isinstance(self.variants, Unset):
            variants = []
            for variants_item_data in self.variants:
                variants_item: str = variants_item_data
                variants.append(variants_item)

        style_model_id: None | str | Unset
        if isinstance(self.style_model_id, Unset):
            style_model_id = UNSET
        else:
            style_model_id = self.style_model_id

        style_weight = self.style_weight

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "image": image,
            }
        )
        if negative_prompt is not UNSET:
            field_dict["negative_prompt"] = negative_prompt
        if n is not UNSET:
            field_dict["n"] = n
        if seed is not UNSET:
            field_dict["seed"] = seed
        if steps is not UNSET:
            field_dict["steps"] = steps
        if guidance_scale is not UNSET:
            field_dict["guidance_scale"] = guidance_scale
        if callback_url is not UNSET:
            field_dict["callback_url"] = callback_url
        if garment_prompt is not UNSET:
            field_dict["garment_prompt"] = garment_prompt
        if garment_image is not UNSET:
            field_dict["garment_image"] = garment_image
        if garment_strength is not UNSET:
            field_dict["garment_strength"] = garment_strength
        if category is not UNSET:
            field_dict["category"] = category
        if mask_prompt is not UNSET:
            field_dict["mask_prompt"] = mask_prompt
        if mask is not UNSET:
            field_dict["mask"] = mask
        if format_ is not UNSET:
            field_dict["format"] = format_
        if quality is not UNSET:
            field_dict["quality"] = quality
        if variants is not UNSET:
            field_dict["variants"] = variants
        if style_model_id is not UNSET:
            field_dict["style_model_id"] = style_model_id
        if style_weight is not UNSET:
            field_dict["style_weight"] = style_weight

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_in import ImageIn  # noqa: PLC0415

        d = dict(src_dict)
        image = ImageIn.from_dict(d.pop("image"))

        def _parse_negative_prompt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        negative_prompt = _parse_negative_prompt(d.pop("negative_prompt", UNSET))

        n = d.pop("n", UNSET)

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        def _parse_steps(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        steps = _parse_steps(d.pop("steps", UNSET))

        guidance_scale = d.pop("guidance_scale", UNSET)

        def _parse_callback_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        callback_url = _parse_callback_url(d.pop("callback_url", UNSET))

        def _parse_garment_prompt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        garment_prompt = _parse_garment_prompt(d.pop("garment_prompt", UNSET))

        def _parse_garment_image(data: object) -> ImageIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                garment_image_type_0 = ImageIn.from_dict(data)

                return garment_image_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageIn | None | Unset, data)

        garment_image = _parse_garment_image(d.pop("garment_image", UNSET))

        garment_strength = d.pop("garment_strength", UNSET)

        _category = d.pop("category", UNSET)
        category: TryOnCreateCategory | Unset
        if isinstance(_category, Unset):
            category = UNSET
        else:
            category = check_try_on_create_category(_category)

        def _parse_mask_prompt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        mask_prompt = _parse_mask_prompt(d.pop("mask_prompt", UNSET))

        def _parse_mask(data: object) -> ImageIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                mask_type_0 = ImageIn.from_dict(data)

                return mask_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageIn | None | Unset, data)

        mask = _parse_mask(d.pop("mask", UNSET))

        _format_ = d.pop("format", UNSET)
        format_: TryOnCreateFormat | Unset
        if isinstance(_format_, Unset):
            format_ = UNSET
        else:
            format_ = check_try_on_create_format(_format_)

        quality = d.pop("quality", UNSET)

        _variants = d.pop("variants", UNSET)
        variants: list[TryOnCreateVariantsItem] | Unset = UNSET
        if _variants is not UNSET:
            variants = []
            for variants_item_data in _variants:
                variants_item = check_try_on_create_variants_item(variants_item_data)

                variants.append(variants_item)

        def _parse_style_model_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        style_model_id = _parse_style_model_id(d.pop("style_model_id", UNSET))

        style_weight = d.pop("style_weight", UNSET)

        try_on_create = cls(
            image=image,
            negative_prompt=negative_prompt,
            n=n,
            seed=seed,
            steps=steps,
            guidance_scale=guidance_scale,
            callback_url=callback_url,
            garment_prompt=garment_prompt,
            garment_image=garment_image,
            garment_strength=garment_strength,
            category=category,
            mask_prompt=mask_prompt,
            mask=mask,
            format_=format_,
            quality=quality,
            variants=variants,
            style_model_id=style_model_id,
            style_weight=style_weight,
        )

        return try_on_create
