from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.try_on_image_public_variants import TryOnImagePublicVariants


T = TypeVar("T", bound="TryOnImagePublic")


@_attrs_define
class TryOnImagePublic:
    """One output image at the input photo's size, with the variants asked for.

    Attributes:
        url (str):
        width (int | None | Unset):
        height (int | None | Unset):
        variants (TryOnImagePublicVariants | Unset):
    """

    url: str
    width: int | None | Unset = UNSET
    height: int | None | Unset = UNSET
    variants: TryOnImagePublicVariants | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

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

        variants: dict[str, Any] | Unset = UNSET
        if not isinstance(self.variants, Unset):
            variants = self.variants.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "url": url,
            }
        )
        if width is not UNSET:
            field_dict["width"] = width
        if height is not UNSET:
            field_dict["height"] = height
        if variants is not UNSET:
            field_dict["variants"] = variants

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.try_on_image_public_variants import TryOnImagePublicVariants  # noqa: PLC0415

        d = dict(src_dict)
        url = d.pop("url")

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

        _variants = d.pop("variants", UNSET)
        variants: TryOnImagePublicVariants | Unset
        if isinstance(_variants, Unset):
            variants = UNSET
        else:
            variants = TryOnImagePublicVariants.from_dict(_variants)

        try_on_image_public = cls(
            url=url,
            width=width,
            height=height,
            variants=variants,
        )

        try_on_image_public.additional_properties = d
        return try_on_image_public

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
