from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.attribute_answer_public_scores_type_0 import AttributeAnswerPublicScoresType0


T = TypeVar("T", bound="AttributeAnswerPublic")


@_attrs_define
class AttributeAnswerPublic:
    """
    Attributes:
        value (str):
        confidence (float): With a taxonomy: the value's share of the model's likelihood over the allowed values (they
            sum to 1). Free answers: the model's probability of its answer.
        needs_review (bool):
        scores (AttributeAnswerPublicScoresType0 | None | Unset): Every allowed value's normalised score (taxonomy
            only).
    """

    value: str
    confidence: float
    needs_review: bool
    scores: AttributeAnswerPublicScoresType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.attribute_answer_public_scores_type_0 import AttributeAnswerPublicScoresType0  # noqa: PLC0415

        value = self.value

        confidence = self.confidence

        needs_review = self.needs_review

        scores: dict[str, Any] | None | Unset
        if isinstance(self.scores, Unset):
            scores = UNSET
        elif isinstance(self.scores, AttributeAnswerPublicScoresType0):
            scores = self.scores.to_dict()
        else:
            scores = self.scores

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "value": value,
                "confidence": confidence,
                "needs_review": needs_review,
            }
        )
        if scores is not UNSET:
            field_dict["scores"] = scores

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attribute_answer_public_scores_type_0 import AttributeAnswerPublicScoresType0  # noqa: PLC0415

        d = dict(src_dict)
        value = d.pop("value")

        confidence = d.pop("confidence")

        needs_review = d.pop("needs_review")

        def _parse_scores(data: object) -> AttributeAnswerPublicScoresType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                scores_type_0 = AttributeAnswerPublicScoresType0.from_dict(data)

                return scores_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AttributeAnswerPublicScoresType0 | None | Unset, data)

        scores = _parse_scores(d.pop("scores", UNSET))

        attribute_answer_public = cls(
            value=value,
            confidence=confidence,
            needs_review=needs_review,
            scores=scores,
        )

        attribute_answer_public.additional_properties = d
        return attribute_answer_public

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
