from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.attributes_public_answers import AttributesPublicAnswers
    from ..models.attributes_public_attributes import AttributesPublicAttributes


T = TypeVar("T", bound="AttributesPublic")


@_attrs_define
class AttributesPublic:
    """
    Attributes:
        attributes (AttributesPublicAttributes):
        answers (AttributesPublicAnswers):
        needs_review (list[str]): Attributes below the review threshold.
        review_threshold (float | None):
        taxonomy (None | str): The stored taxonomy's name; 'inline' or null.
        product_type (str):
        model (str):
        model_id (None | str): The attribute model that answered, if any.
    """

    attributes: AttributesPublicAttributes
    answers: AttributesPublicAnswers
    needs_review: list[str]
    review_threshold: float | None
    taxonomy: None | str
    product_type: str
    model: str
    model_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attributes = self.attributes.to_dict()

        answers = self.answers.to_dict()

        needs_review = self.needs_review

        review_threshold: float | None
        review_threshold = self.review_threshold

        taxonomy: None | str
        taxonomy = self.taxonomy

        product_type = self.product_type

        model = self.model

        model_id: None | str
        model_id = self.model_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attributes": attributes,
                "answers": answers,
                "needs_review": needs_review,
                "review_threshold": review_threshold,
                "taxonomy": taxonomy,
                "product_type": product_type,
                "model": model,
                "model_id": model_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attributes_public_answers import AttributesPublicAnswers  # noqa: PLC0415
        from ..models.attributes_public_attributes import AttributesPublicAttributes  # noqa: PLC0415

        d = dict(src_dict)
        attributes = AttributesPublicAttributes.from_dict(d.pop("attributes"))

        answers = AttributesPublicAnswers.from_dict(d.pop("answers"))

        needs_review = cast(list[str], d.pop("needs_review"))

        def _parse_review_threshold(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        review_threshold = _parse_review_threshold(d.pop("review_threshold"))

        def _parse_taxonomy(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        taxonomy = _parse_taxonomy(d.pop("taxonomy"))

        product_type = d.pop("product_type")

        model = d.pop("model")

        def _parse_model_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        model_id = _parse_model_id(d.pop("model_id"))

        attributes_public = cls(
            attributes=attributes,
            answers=answers,
            needs_review=needs_review,
            review_threshold=review_threshold,
            taxonomy=taxonomy,
            product_type=product_type,
            model=model,
            model_id=model_id,
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
