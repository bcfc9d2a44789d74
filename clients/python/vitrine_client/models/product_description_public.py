from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.attributes_public import AttributesPublic
    from ..models.description_public import DescriptionPublic


T = TypeVar("T", bound="ProductDescriptionPublic")


@_attrs_define
class ProductDescriptionPublic:
    """
    Attributes:
        attributes (AttributesPublic):
        description (DescriptionPublic):
    """

    attributes: AttributesPublic
    description: DescriptionPublic
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attributes = self.attributes.to_dict()

        description = self.description.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attributes": attributes,
                "description": description,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attributes_public import AttributesPublic  # noqa: PLC0415
        from ..models.description_public import DescriptionPublic  # noqa: PLC0415

        d = dict(src_dict)
        attributes = AttributesPublic.from_dict(d.pop("attributes"))

        description = DescriptionPublic.from_dict(d.pop("description"))

        product_description_public = cls(
            attributes=attributes,
            description=description,
        )

        product_description_public.additional_properties = d
        return product_description_public

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
