from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.attributes_public_attributes import AttributesPublicAttributes


T = TypeVar("T", bound="AttributesPublic")


@_attrs_define
class AttributesPublic:
    """
    Attributes:
        attributes (AttributesPublicAttributes):
        product_type (str):
        model (str):
    """

    attributes: AttributesPublicAttributes
    product_type: str
    model: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attributes = self.attributes.to_dict()

        product_type = self.product_type

        model = self.model

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attributes": attributes,
                "product_type": product_type,
                "model": model,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attributes_public_attributes import AttributesPublicAttributes  # noqa: PLC0415

        d = dict(src_dict)
        attributes = AttributesPublicAttributes.from_dict(d.pop("attributes"))

        product_type = d.pop("product_type")

        model = d.pop("model")

        attributes_public = cls(
            attributes=attributes,
            product_type=product_type,
            model=model,
        )

        attributes_public.additional_properties = d
        return attributes_public

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
