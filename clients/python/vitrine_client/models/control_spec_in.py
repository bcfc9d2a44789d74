from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.control_spec_in_type import ControlSpecInType, check_control_spec_in_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="ControlSpecIn")


@_attrs_define
class ControlSpecIn:
    """
    Attributes:
        type_ (ControlSpecInType | Unset):  Default: 'canny'.
        strength (float | Unset):  Default: 0.8.
    """

    type_: ControlSpecInType | Unset = "canny"
    strength: float | Unset = 0.8

    def to_dict(self) -> dict[str, Any]:
        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_

        strength = self.strength

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if strength is not UNSET:
            field_dict["strength"] = strength

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _type_ = d.pop("type", UNSET)
        type_: ControlSpecInType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = check_control_spec_in_type(_type_)

        strength = d.pop("strength", UNSET)

        control_spec_in = cls(
            type_=type_,
            strength=strength,
        )

        return control_spec_in
