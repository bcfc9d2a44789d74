from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PickIn")


@_attrs_define
class PickIn:
    """
    Attributes:
        prompt (int): The row's index.
        model (str): The column's name (unique).
    """

    prompt: int
    model: str

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        model = self.model

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prompt": prompt,
                "model": model,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        model = d.pop("model")

        pick_in = cls(
            prompt=prompt,
            model=model,
        )

        return pick_in
