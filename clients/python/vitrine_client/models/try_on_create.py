from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.image_in import ImageIn


T = TypeVar("T", bound="TryOnCreate")


@_attrs_define
class TryOnCreate:
    """
    Attributes:
        image (ImageIn): An image: inline base64 (small) or the id of an upload (up to the upload limit).
        garment_prompt (str): The garment to show, e.g. 'a red linen shirt'.
        negative_prompt (None | str | Unset):
        n (int | Unset): Images to generate (deployment limit applies). Default: 1.
        seed (int | None | Unset):
        steps (int | None | Unset): Denoising steps (default 30, deployment limit applies).
        guidance_scale (float | Unset):  Default: 7.5.
        callback_url (None | str | Unset): HTTPS URL that receives a signed POST when the job ends.
        mask_prompt (None | str | Unset): What to replace, found by CLIPSeg (default: derived from the garment).
        mask (ImageIn | None | Unset): Or the region itself: white = replace.
    """

    image: ImageIn
    garment_prompt: str
    negative_prompt: None | str | Unset = UNSET
    n: int | Unset = 1
    seed: int | None | Unset = UNSET
    steps: int | None | Unset = UNSET
    guidance_scale: float | Unset = 7.5
    callback_url: None | str | Unset = UNSET
    mask_prompt: None | str | Unset = UNSET
    mask: ImageIn | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.image_in import ImageIn  # noqa: PLC0415

        image = self.image.to_dict()

        garment_prompt = self.garment_prompt

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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "image": image,
                "garment_prompt": garment_prompt,
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
        if mask_prompt is not UNSET:
            field_dict["mask_prompt"] = mask_prompt
        if mask is not UNSET:
            field_dict["mask"] = mask

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_in import ImageIn  # noqa: PLC0415

        d = dict(src_dict)
        image = ImageIn.from_dict(d.pop("image"))

        garment_prompt = d.pop("garment_prompt")

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

        try_on_create = cls(
            image=image,
            garment_prompt=garment_prompt,
            negative_prompt=negative_prompt,
            n=n,
            seed=seed,
            steps=steps,
            guidance_scale=guidance_scale,
            callback_url=callback_url,
            mask_prompt=mask_prompt,
            mask=mask,
        )

        return try_on_create
