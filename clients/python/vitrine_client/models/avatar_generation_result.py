from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.result_image import ResultImage
    from ..models.withheld_image import WithheldImage


T = TypeVar("T", bound="AvatarGenerationResult")


@_attrs_define
class AvatarGenerationResult:
    """Images of an avatar.

    Attributes:
        avatar_id (str):
        images (list[ResultImage]):
        withheld (list[WithheldImage]):
        seed (int | None | Unset):
    """

    avatar_id: str
    images: list[ResultImage]
    withheld: list[WithheldImage]
    seed: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        avatar_id = self.avatar_id

        images = []
        for images_item_data in self.images:
            images_item = images_item_data.to_dict()
            images.append(images_item)

        withheld = []
        for withheld_item_data in self.withheld:
            withheld_item = withheld_item_data.to_dict()
            withheld.append(withheld_item)

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "avatar_id": avatar_id,
                "images": images,
                "withheld": withheld,
            }
        )
        if seed is not UNSET:
            field_dict["seed"] = seed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.result_image import ResultImage  # noqa: PLC0415
        from ..models.withheld_image import WithheldImage  # noqa: PLC0415

        d = dict(src_dict)
        avatar_id = d.pop("avatar_id")

        images = []
        _images = d.pop("images")
        for images_item_data in _images:
            images_item = ResultImage.from_dict(images_item_data)

            images.append(images_item)

        withheld = []
        _withheld = d.pop("withheld")
        for withheld_item_data in _withheld:
            withheld_item = WithheldImage.from_dict(withheld_item_data)

            withheld.append(withheld_item)

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        avatar_generation_result = cls(
            avatar_id=avatar_id,
            images=images,
            withheld=withheld,
            seed=seed,
        )

        avatar_generation_result.additional_properties = d
        return avatar_generation_result

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
