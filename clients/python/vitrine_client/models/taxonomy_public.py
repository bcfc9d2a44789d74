from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.taxonomy_public_attributes import TaxonomyPublicAttributes


T = TypeVar("T", bound="TaxonomyPublic")


@_attrs_define
class TaxonomyPublic:
    """
    Attributes:
        name (str):
        attributes (TaxonomyPublicAttributes):
        review_threshold (float | None):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    name: str
    attributes: TaxonomyPublicAttributes
    review_threshold: float | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        attributes = self.attributes.to_dict()

        review_threshold: float | None
        review_threshold = self.review_threshold

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "attributes": attributes,
                "review_threshold": review_threshold,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.taxonomy_public_attributes import TaxonomyPublicAttributes  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        attributes = TaxonomyPublicAttributes.from_dict(d.pop("attributes"))

        def _parse_review_threshold(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        review_threshold = _parse_review_threshold(d.pop("review_threshold"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        taxonomy_public = cls(
            name=name,
            attributes=attributes,
            review_threshold=review_threshold,
            created_at=created_at,
            updated_at=updated_at,
        )

        taxonomy_public.additional_properties = d
        return taxonomy_public

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
