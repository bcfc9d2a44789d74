from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TaxonomyAttributeIn")


@_attrs_define
class TaxonomyAttributeIn:
    """
    Attributes:
        values (list[str]):
        question (None | str | Unset): What the model is asked; default: the attribute's standard question.
    """

    values: list[str]
    question: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        values = self.values

        question: None | str | Unset
        if isinstance(self.question, Unset):
            question = UNSET
        else:
            question = self.question

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "values": values,
            }
        )
        if question is not UNSET:
            field_dict["question"] = question

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        values = cast(list[str], d.pop("values"))

        def _parse_question(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        question = _parse_question(d.pop("question", UNSET))

        taxonomy_attribute_in = cls(
            values=values,
            question=question,
        )

        return taxonomy_attribute_in
