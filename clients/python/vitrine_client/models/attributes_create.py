from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.image_in import ImageIn


T = TypeVar("T", bound="AttributesCreate")


@_attrs_define
class AttributesCreate:
    """
    Attributes:
        image (ImageIn): An image: inline base64 (small) or the id of an upload (up to the upload limit).
        product_type (None | str | Unset): e.g. 'shirt'; asked of the model when omitted.
        attributes (list[str] | None | Unset): Names such as fabric, fit, collar (default: a set per product type).
    """

    image: ImageIn
    product_type: None | str | Unset = UNSET
    attributes: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        image = self.image.to_dict()

        product_type: None | str | Unset
        if isinstance(self.product_type, Unset):
            product_type = UNSET
        else:
            product_type = self.product_type

        attributes: list[str] | None | Unset
        if isinstance(self.attributes, Unset):
            attributes = UNSET
        elif isinstance(self.attributes, list):
            attributes = self.attributes

        else:
            attributes = self.attributes

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "image": image,
            }
        )
        if product_type is not UNSET:
            field_dict["product_type"] = product_type
        if attributes is not UNSET:
            field_dict["attributes"] = attributes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_in import ImageIn  # noqa: PLC0415

        d = dict(src_dict)
        image = ImageIn.from_dict(d.pop("image"))

        def _parse_product_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        product_type = _parse_product_type(d.pop("product_type", UNSET))

        def _parse_attributes(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                attributes_type_0 = cast(list[str], data)

                return attributes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        attributes = _parse_attributes(d.pop("attributes", UNSET))

        attributes_create = cls(
            image=image,
            product_type=product_type,
            attributes=attributes,
        )

        return attributes_create
