from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.attribute_answer_public import AttributeAnswerPublic


T = TypeVar("T", bound="AttributesPublicAnswers")


@_attrs_define
class AttributesPublicAnswers:
    additional_properties: dict[str, AttributeAnswerPublic] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop.to_dict()

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attribute_answer_public import AttributeAnswerPublic  # noqa: PLC0415

        d = dict(src_dict)
        attributes_public_answers = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional_property = AttributeAnswerPublic.from_dict(prop_dict)

            additional_properties[prop_name] = additional_property

        attributes_public_answers.additional_properties = additional_properties
        return attributes_public_answers

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> AttributeAnswerPublic:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: AttributeAnswerPublic) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
