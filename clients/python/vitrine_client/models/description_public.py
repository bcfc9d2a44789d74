from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DescriptionPublic")


@_attrs_define
class DescriptionPublic:
    """
    Attributes:
        title (str):
        description (str):
        bullets (list[str]):
        keywords (list[str]):
        model (str): Which copywriter wrote it.
    """

    title: str
    description: str
    bullets: list[str]
    keywords: list[str]
    model: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        description = self.description

        bullets = self.bullets

        keywords = self.keywords

        model = self.model

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "title": title,
                "description": description,
                "bullets": bullets,
                "keywords": keywords,
                "model": model,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        title = d.pop("title")

        description = d.pop("description")

        bullets = cast(list[str], d.pop("bullets"))

        keywords = cast(list[str], d.pop("keywords"))

        model = d.pop("model")

        description_public = cls(
            title=title,
            description=description,
            bullets=bullets,
            keywords=keywords,
            model=model,
        )

        description_public.additional_properties = d
        return description_public

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
