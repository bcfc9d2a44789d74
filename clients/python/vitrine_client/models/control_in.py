from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.control_in_type import ControlInType, check_control_in_type
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.image_in import ImageIn


T = TypeVar("T", bound="ControlIn")


@_attrs_define
class ControlIn:
    """ControlNet: the layout of a reference photo (its edges or depth) guides the image.

    Attributes:
        image (ImageIn): An image: inline base64 (small) or the id of an upload (up to the upload limit).
        type_ (ControlInType | Unset): canny: edges; depth: a depth map (where deployed). Default: 'canny'.
        strength (float | Unset): ControlNet conditioning scale. Default: 0.8.
    """

    image: ImageIn
    type_: ControlInType | Unset = "canny"
    strength: float | Unset = 0.8

    def to_dict(self) -> dict[str, Any]:
        image = self.image.to_dict()

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_

        strength = self.strength

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "image": image,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_
        if strength is not UNSET:
            field_dict["strength"] = strength

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_in import ImageIn  # noqa: PLC0415

        d = dict(src_dict)
        image = ImageIn.from_dict(d.pop("image"))

        _type_ = d.pop("type", UNSET)
        type_: ControlInType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = check_control_in_type(_type_)

        strength = d.pop("strength", UNSET)

        control_in = cls(
            image=image,
            type_=type_,
            strength=strength,
        )

        return control_in
