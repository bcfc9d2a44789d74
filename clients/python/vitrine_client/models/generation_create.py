from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.generation_create_size import GenerationCreateSize, check_generation_create_size
from ..models.generation_create_variant import GenerationCreateVariant, check_generation_create_variant
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.adapter_in import AdapterIn
    from ..models.control_in import ControlIn
    from ..models.image_in import ImageIn


T = TypeVar("T", bound="GenerationCreate")


@_attrs_define
class GenerationCreate:
    """
    Attributes:
        prompt (str): What to draw (moderated).
        negative_prompt (None | str | Unset):
        n (int | Unset): Images to generate (deployment limit applies). Default: 1.
        seed (int | None | Unset):
        steps (int | None | Unset): Denoising steps (default 30, deployment limit applies).
        guidance_scale (float | Unset):  Default: 7.5.
        callback_url (None | str | Unset): HTTPS URL that receives a signed POST when the job ends.
        variant (GenerationCreateVariant | Unset): base: SDXL (default 30 steps); turbo: SDXL-Turbo (1-8 steps, default
            4, no guidance: guidance_scale is not used), where deployed. Default: 'base'.
        size (GenerationCreateSize | Unset): Aspect at the model's native area: 1:1, 4:5 or 16:9 (SDXL: about 1024²).
            With control or image, still this preset. Default: 'square'.
        adapters (list[AdapterIn] | Unset): Your product and concept models, combined.
        control (ControlIn | None | Unset): A photo whose layout guides the image (ControlNet).
        image (ImageIn | None | Unset): img2img: a photo to start from.
        strength (float | Unset): img2img: how far from the photo (1 ignores it). Default: 0.6.
    """

    prompt: str
    negative_prompt: None | str | Unset = UNSET
    n: int | Unset = 1
    seed: int | None | Unset = UNSET
    steps: int | None | Unset = UNSET
    guidance_scale: float | Unset = 7.5
    callback_url: None | str | Unset = UNSET
    variant: GenerationCreateVariant | Unset = "base"
    size: GenerationCreateSize | Unset = "square"
    adapters: list[AdapterIn] | Unset = UNSET
    control: ControlIn | None | Unset = UNSET
    image: ImageIn | None | Unset = UNSET
    strength: float | Unset = 0.6

    def to_dict(self) -> dict[str, Any]:
        from ..models.control_in import ControlIn  # noqa: PLC0415
        from ..models.image_in import ImageIn  # noqa: PLC0415

        prompt = self.prompt

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

        variant: str | Unset = UNSET
        if not isinstance(self.variant, Unset):
            variant = self.variant

        size: str | Unset = UNSET
        if not isinstance(self.size, Unset):
            size = self.size

        adapters: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.adapters, Unset):
            adapters = []
            for adapters_item_data in self.adapters:
                adapters_item = adapters_item_data.to_dict()
                adapters.append(adapters_item)

        control: dict[str, Any] | None | Unset
        if isinstance(self.control, Unset):
            control = UNSET
        elif isinstance(self.control, ControlIn):
            control = self.control.to_dict()
        else:
            control = self.control

        image: dict[str, Any] | None | Unset
        if isinstance(self.image, Unset):
            image = UNSET
        elif isinstance(self.image, ImageIn):
            image = self.image.to_dict()
        else:
            image = self.image

        strength = self.strength

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prompt": prompt,
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
        if variant is not UNSET:
            field_dict["variant"] = variant
        if size is not UNSET:
            field_dict["size"] = size
        if adapters is not UNSET:
            field_dict["adapters"] = adapters
        if control is not UNSET:
            field_dict["control"] = control
        if image is not UNSET:
            field_dict["image"] = image
        if strength is not UNSET:
            field_dict["strength"] = strength

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.adapter_in import AdapterIn  # noqa: PLC0415
        from ..models.control_in import ControlIn  # noqa: PLC0415
        from ..models.image_in import ImageIn  # noqa: PLC0415

        d = dict(src_dict)
        prompt = d.pop("prompt")

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

        _variant = d.pop("variant", UNSET)
        variant: GenerationCreateVariant | Unset
        if isinstance(_variant, Unset):
            variant = UNSET
        else:
            variant = check_generation_create_variant(_variant)

        _size = d.pop("size", UNSET)
        size: GenerationCreateSize | Unset
        if isinstance(_size, Unset):
            size = UNSET
        else:
            size = check_generation_create_size(_size)

        _adapters = d.pop("adapters", UNSET)
        adapters: list[AdapterIn] | Unset = UNSET
        if _adapters is not UNSET:
            adapters = []
            for adapters_item_data in _adapters:
                adapters_item = AdapterIn.from_dict(adapters_item_data)

                adapters.append(adapters_item)

        def _parse_control(data: object) -> ControlIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                control_type_0 = ControlIn.from_dict(data)

                return control_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ControlIn | None | Unset, data)

        control = _parse_control(d.pop("control", UNSET))

        def _parse_image(data: object) -> ImageIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                image_type_0 = ImageIn.from_dict(data)

                return image_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageIn | None | Unset, data)

        image = _parse_image(d.pop("image", UNSET))

        strength = d.pop("strength", UNSET)

        generation_create = cls(
            prompt=prompt,
            negative_prompt=negative_prompt,
            n=n,
            seed=seed,
            steps=steps,
            guidance_scale=guidance_scale,
            callback_url=callback_url,
            variant=variant,
            size=size,
            adapters=adapters,
            control=control,
            image=image,
            strength=strength,
        )

        return generation_create
