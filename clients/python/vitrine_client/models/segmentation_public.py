from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.mask_public import MaskPublic


T = TypeVar("T", bound="SegmentationPublic")


@_attrs_define
class SegmentationPublic:
    """
    Attributes:
        id (str):
        width (int):
        height (int):
        masks (list[MaskPublic]):
    """

    id: str
    width: int
    height: int
    masks: list[MaskPublic]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        width = self.width

        height = self.height

        masks = []
        for masks_item_data in self.masks:
            masks_item = masks_item_data.to_dict()
            masks.append(masks_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "width": width,
                "height": height,
                "masks": masks,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mask_public import MaskPublic  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        width = d.pop("width")

        height = d.pop("height")

        masks = []
        _masks = d.pop("masks")
        for masks_item_data in _masks:
            masks_item = MaskPublic.from_dict(masks_item_data)

            masks.append(masks_item)

        segmentation_public = cls(
            id=id,
            width=width,
            height=height,
            masks=masks,
        )

        segmentation_public.additional_properties = d
        return segmentation_public

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
