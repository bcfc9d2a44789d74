from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TrainingRowIn")


@_attrs_define
class TrainingRowIn:
    """
    Attributes:
        image (str): An upload id (POST /v1/uploads).
        answer (str):
        question (None | str | Unset):
        attribute (None | str | Unset): With a taxonomy, the question is the attribute's.
    """

    image: str
    answer: str
    question: None | str | Unset = UNSET
    attribute: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        image = self.image

        answer = self.answer

        question: None | str | Unset
        if isinstance(self.question, Unset):
            question = UNSET
        else:
            question = self.question

        attribute: None | str | Unset
        if isinstance(self.attribute, Unset):
            attribute = UNSET
        else:
            attribute = self.attribute

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "image": image,
                "answer": answer,
            }
        )
        if question is not UNSET:
            field_dict["question"] = question
        if attribute is not UNSET:
            field_dict["attribute"] = attribute

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        image = d.pop("image")

        answer = d.pop("answer")

        def _parse_question(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        question = _parse_question(d.pop("question", UNSET))

        def _parse_attribute(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        attribute = _parse_attribute(d.pop("attribute", UNSET))

        training_row_in = cls(
            image=image,
            answer=answer,
            question=question,
            attribute=attribute,
        )

        return training_row_in
