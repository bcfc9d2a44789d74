from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AdapterIn")


@_attrs_define
class AdapterIn:
    """One of the tenant's ready models applied to the generation.

    Attributes:
        model_id (str): A product (LoRA) or concept (textual inversion) model.
        weight (float | Unset): How strongly a LoRA applies (a concept's token in the prompt is its control; its weight
            is not used). Default: 1.0.
    """

    model_id: str
    weight: float | Unset = 1.0

    def to_dict(self) -> dict[str, Any]:
        model_id = self.model_id

        weight = self.weight

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "model_id": model_id,
            }
        )
        if weight is not UNSET:
            field_dict["weight"] = weight

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model_id = d.pop("model_id")

        weight = d.pop("weight", UNSET)

        adapter_in = cls(
            model_id=model_id,
            weight=weight,
        )

        return adapter_in
