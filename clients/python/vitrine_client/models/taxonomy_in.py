from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.taxonomy_in_attributes import TaxonomyInAttributes


T = TypeVar("T", bound="TaxonomyIn")


@_attrs_define
class TaxonomyIn:
    """A taxonomy's content: ``PUT /v1/taxonomies/{name}``, or inline on a request.

    Attributes:
        attributes (TaxonomyInAttributes):
        review_threshold (float | None | Unset): Answers less confident than this are marked needs_review (a request's
            own threshold wins).
    """

    attributes: TaxonomyInAttributes
    review_threshold: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        attributes = self.attributes.to_dict()

        review_threshold: float | None | Unset
        if isinstance(self.review_threshold, Unset):
            review_threshold = UNSET
        else:
            review_threshold = self.review_threshold

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "attributes": attributes,
            }
        )
        if review_threshold is not UNSET:
            field_dict["review_threshold"] = review_threshold

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.taxonomy_in_attributes import TaxonomyInAttributes  # noqa: PLC0415

        d = dict(src_dict)
        attributes = TaxonomyInAttributes.from_dict(d.pop("attributes"))

        def _parse_review_threshold(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        review_threshold = _parse_review_threshold(d.pop("review_threshold", UNSET))

        taxonomy_in = cls(
            attributes=attributes,
            review_threshold=review_threshold,
        )

        return taxonomy_in
