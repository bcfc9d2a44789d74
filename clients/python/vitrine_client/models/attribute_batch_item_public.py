from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.attribute_batch_item_public_status import (
    AttributeBatchItemPublicStatus,
    check_attribute_batch_item_public_status,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.attribute_batch_item_public_answers_type_0 import AttributeBatchItemPublicAnswersType0
    from ..models.attribute_batch_item_public_attributes_type_0 import AttributeBatchItemPublicAttributesType0
    from ..models.attribute_batch_item_public_error_type_0 import AttributeBatchItemPublicErrorType0


T = TypeVar("T", bound="AttributeBatchItemPublic")


@_attrs_define
class AttributeBatchItemPublic:
    """
    Attributes:
        upload_id (str):
        status (AttributeBatchItemPublicStatus):
        product_type (None | str | Unset):
        attributes (AttributeBatchItemPublicAttributesType0 | None | Unset):
        answers (AttributeBatchItemPublicAnswersType0 | None | Unset):
        needs_review (list[str] | None | Unset):
        error (AttributeBatchItemPublicErrorType0 | None | Unset): Why this image has no answers (type, title, detail).
    """

    upload_id: str
    status: AttributeBatchItemPublicStatus
    product_type: None | str | Unset = UNSET
    attributes: AttributeBatchItemPublicAttributesType0 | None | Unset = UNSET
    answers: AttributeBatchItemPublicAnswersType0 | None | Unset = UNSET
    needs_review: list[str] | None | Unset = UNSET
    error: AttributeBatchItemPublicErrorType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.attribute_batch_item_public_answers_type_0 import AttributeBatchItemPublicAnswersType0  # noqa: PLC0415
        from ..models.attribute_batch_item_public_attributes_type_0 import AttributeBatchItemPublicAttributesType0  # noqa: PLC0415
        from ..models.attribute_batch_item_public_error_type_0 import AttributeBatchItemPublicErrorType0  # noqa: PLC0415

        upload_id = self.upload_id

        status: str = self.status

        product_type: None | str | Unset
        if isinstance(self.product_type, Unset):
            product_type = UNSET
        else:
            product_type = self.product_type

        attributes: dict[str, Any] | None | Unset
        if isinstance(self.attributes, Unset):
            attributes = UNSET
        elif isinstance(self.attributes, AttributeBatchItemPublicAttributesType0):
            attributes = self.attributes.to_dict()
        else:
            attributes = self.attributes

        answers: dict[str, Any] | None | Unset
        if isinstance(self.answers, Unset):
            answers = UNSET
        elif isinstance(self.answers, AttributeBatchItemPublicAnswersType0):
            answers = self.answers.to_dict()
        else:
            answers = self.answers

        needs_review: list[str] | None | Unset
        if isinstance(self.needs_review, Unset):
            needs_review = UNSET
        elif isinstance(self.needs_review, list):
            needs_review = self.needs_review

        else:
            needs_review = self.needs_review

        error: dict[str, Any] | None | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, AttributeBatchItemPublicErrorType0):
            error = self.error.to_dict()
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "upload_id": upload_id,
                "status": status,
            }
        )
        if product_type is not UNSET:
            field_dict["product_type"] = product_type
        if attributes is not UNSET:
            field_dict["attributes"] = attributes
        if answers is not UNSET:
            field_dict["answers"] = answers
        if needs_review is not UNSET:
            field_dict["needs_review"] = needs_review
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attribute_batch_item_public_answers_type_0 import AttributeBatchItemPublicAnswersType0  # noqa: PLC0415
        from ..models.attribute_batch_item_public_attributes_type_0 import AttributeBatchItemPublicAttributesType0  # noqa: PLC0415
        from ..models.attribute_batch_item_public_error_type_0 import AttributeBatchItemPublicErrorType0  # noqa: PLC0415

        d = dict(src_dict)
        upload_id = d.pop("upload_id")

        status = check_attribute_batch_item_public_status(d.pop("status"))

        def _parse_product_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        product_type = _parse_product_type(d.pop("product_type", UNSET))

        def _parse_attributes(data: object) -> AttributeBatchItemPublicAttributesType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                attributes_type_0 = AttributeBatchItemPublicAttributesType0.from_dict(data)

                return attributes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AttributeBatchItemPublicAttributesType0 | None | Unset, data)

        attributes = _parse_attributes(d.pop("attributes", UNSET))

        def _parse_answers(data: object) -> AttributeBatchItemPublicAnswersType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                answers_type_0 = AttributeBatchItemPublicAnswersType0.from_dict(data)

                return answers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AttributeBatchItemPublicAnswersType0 | None | Unset, data)

        answers = _parse_answers(d.pop("answers", UNSET))

        def _parse_needs_review(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                needs_review_type_0 = cast(list[str], data)

                return needs_review_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        needs_review = _parse_needs_review(d.pop("needs_review", UNSET))

        def _parse_error(data: object) -> AttributeBatchItemPublicErrorType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = AttributeBatchItemPublicErrorType0.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AttributeBatchItemPublicErrorType0 | None | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        attribute_batch_item_public = cls(
            upload_id=upload_id,
            status=status,
            product_type=product_type,
            attributes=attributes,
            answers=answers,
            needs_review=needs_review,
            error=error,
        )

        attribute_batch_item_public.additional_properties = d
        return attribute_batch_item_public

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
