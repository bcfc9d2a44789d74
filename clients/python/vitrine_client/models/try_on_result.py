from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.try_on_result_format import TryOnResultFormat, check_try_on_result_format
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.result_image import ResultImage
    from ..models.try_on_image_public import TryOnImagePublic
    from ..models.withheld_image import WithheldImage


T = TypeVar("T", bound="TryOnResult")


@_attrs_define
class TryOnResult:
    """A succeeded try-on: the images, the mask used, the seed to repeat it.

    Attributes:
        images (list[TryOnImagePublic]): The try-on images that passed moderation.
        mask (ResultImage): An image a job produced: a short-lived URL (fresh on every read of the job).
        seed (int | None | Unset):
        withheld (list[WithheldImage] | Unset): Images moderation withheld.
        format_ (TryOnResultFormat | Unset):  Default: 'png'.
        width (int | None | Unset): Output width (the photo's).
        height (int | None | Unset): Output height (the photo's).
    """

    images: list[TryOnImagePublic]
    mask: ResultImage
    seed: int | None | Unset = UNSET
    withheld: list[WithheldImage] | Unset = UNSET
    format_: TryOnResultFormat | Unset = "png"
    width: int | None | Unset = UNSET
    height: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        images = []
        for images_item_data in self.images:
            images_item = images_item_data.to_dict()
            images.append(images_item)

        mask = self.mask.to_dict()

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

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_

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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "images": images,
                "mask": mask,
            }
        )
        if seed is not UNSET:
            field_dict["seed"] = seed
        if withheld is not UNSET:
            field_dict["withheld"] = withheld
        if format_ is not UNSET:
            field_dict["format"] = format_
        if width is not UNSET:
            field_dict["width"] = width
        if height is not UNSET:
            field_dict["height"] = height

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.result_image import ResultImage  # noqa: PLC0415
        from ..models.try_on_image_public import TryOnImagePublic  # noqa: PLC0415
        from ..models.withheld_image import WithheldImage  # noqa: PLC0415

        d = dict(src_dict)
        images = []
        _images = d.pop("images")
        for images_item_data in _images:
            images_item = TryOnImagePublic.from_dict(images_item_data)

            images.append(images_item)

        mask = ResultImage.from_dict(d.pop("mask"))

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

        _format_ = d.pop("format", UNSET)
        format_: TryOnResultFormat | Unset
        if isinstance(_format_, Unset):
            format_ = UNSET
        else:
            format_ = check_try_on_result_format(_format_)

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

        try_on_result = cls(
            images=images,
            mask=mask,
            seed=seed,
            withheld=withheld,
            format_=format_,
            width=width,
            height=height,
        )

        try_on_result.additional_properties = d
        return try_on_result

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
