from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.generated_image_public import GeneratedImagePublic
    from ..models.result_image import ResultImage
    from ..models.withheld_image import WithheldImage


T = TypeVar("T", bound="GenerationResult")


@_attrs_define
class GenerationResult:
    """A succeeded generation: the images, the seed to repeat it, what was applied.

    Attributes:
        images (list[GeneratedImagePublic]): Images that passed moderation.
        seed (int | None | Unset):
        withheld (list[WithheldImage] | Unset): Images moderation withheld.
        width (int | None | Unset):
        height (int | None | Unset):
        control_image (None | ResultImage | Unset): The control image computed from the reference photo.
        adapters (list[str] | Unset): The model ids applied.
    """

    images: list[GeneratedImagePublic]
    seed: int | None | Unset = UNSET
    withheld: list[WithheldImage] | Unset = UNSET
    width: int | None | Unset = UNSET
    height: int | None | Unset = UNSET
    control_image: None | ResultImage | Unset = UNSET
    adapters: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.result_image import ResultImage  # noqa: PLC0415

        images = []
        for images_item_data in self.images:
            images_item = images_item_data.to_dict()
            images.append(images_item)

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        withheld: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.withheld, Unset):
            withheld = []
            for withheld_item_data in self.withheld:
                withheld_item = withheld_item_data.to_dict()
                withheld.append(withheld_item)

        width: int | None | Unset
        if isinstance(self.width, Unset):
            width = UNSET
        else:
            width = self.width

        height: int | None | Unset
        if isinstance(self.height, Unset):
            height = UNSET
        else:
            height = self.height

        control_image: dict[str, Any] | None | Unset
        if isinstance(self.control_image, Unset):
            control_image = UNSET
        elif isinstance(self.control_image, ResultImage):
            control_image = self.control_image.to_dict()
        else:
            control_image = self.control_image

        adapters: list[str] | Unset = UNSET
        if not isinstance(self.adapters, Unset):
            adapters = self.adapters

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "images": images,
            }
        )
        if seed is not UNSET:
            field_dict["seed"] = seed
        if withheld is not UNSET:
            field_dict["withheld"] = withheld
        if width is not UNSET:
            field_dict["width"] = width
        if height is not UNSET:
            field_dict["height"] = height
        if control_image is not UNSET:
            field_dict["control_image"] = control_image
        if adapters is not UNSET:
            field_dict["adapters"] = adapters

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.generated_image_public import GeneratedImagePublic  # noqa: PLC0415
        from ..models.result_image import ResultImage  # noqa: PLC0415
        from ..models.withheld_image import WithheldImage  # noqa: PLC0415

        d = dict(src_dict)
        images = []
        _images = d.pop("images")
        for images_item_data in _images:
            images_item = GeneratedImagePublic.from_dict(images_item_data)

            images.append(images_item)

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        _withheld = d.pop("withheld", UNSET)
        withheld: list[WithheldImage] | Unset = UNSET
        if _withheld is not UNSET:
            withheld = []
            for withheld_item_data in _withheld:
                withheld_item = WithheldImage.from_dict(withheld_item_data)

                withheld.append(withheld_item)

        def _parse_width(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        width = _parse_width(d.pop("width", UNSET))

        def _parse_height(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        height = _parse_height(d.pop("height", UNSET))

        def _parse_control_image(data: object) -> None | ResultImage | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                control_image_type_0 = ResultImage.from_dict(data)

                return control_image_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ResultImage | Unset, data)

        control_image = _parse_control_image(d.pop("control_image", UNSET))

        adapters = cast(list[str], d.pop("adapters", UNSET))

        generation_result = cls(
            images=images,
            seed=seed,
            withheld=withheld,
            width=width,
            height=height,
            control_image=control_image,
            adapters=adapters,
        )

        generation_result.additional_properties = d
        return generation_result

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
