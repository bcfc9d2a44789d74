from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

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
        written_from (list[str]): The attributes the copy was written from (at or above the threshold).
        held_for_review (list[str]): Attributes below the review threshold, left out of the copy.
    """

    attributes: AttributesPublic
    description: DescriptionPublic
    written_from: list[str]
    held_for_review: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attributes = self.attributes.to_dict()

        description = self.description.to_dict()

        written_from = self.written_from

        held_for_review = self.held_for_review

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attributes": attributes,
                "description": description,
                "written_from": written_from,
                "held_for_review": held_for_review,
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

        written_from = cast(list[str], d.pop("written_from"))

        held_for_review = cast(list[str], d.pop("held_for_review"))

        product_description_public = cls(
            attributes=attributes,
            description=description,
            written_from=written_from,
            held_for_review=held_for_review,
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
