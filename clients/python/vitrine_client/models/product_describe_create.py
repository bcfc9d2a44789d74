from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.product_describe_create_length import ProductDescribeCreateLength, check_product_describe_create_length
from ..models.product_describe_create_tone import ProductDescribeCreateTone, check_product_describe_create_tone
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.image_in import ImageIn


T = TypeVar("T", bound="ProductDescribeCreate")


@_attrs_define
class ProductDescribeCreate:
    """
    Attributes:
        image (ImageIn): An image: inline base64 (small) or the id of an upload (up to the upload limit).
        tone (ProductDescribeCreateTone | Unset):  Default: 'friendly'.
        language (str | Unset): BCP 47, e.g. 'en', 'fr', 'de-CH'. Default: 'en'.
        length (ProductDescribeCreateLength | Unset):  Default: 'medium'.
        brand (None | str | Unset):
        product_type (None | str | Unset):
        attributes (list[str] | None | Unset):
    """

    image: ImageIn
    tone: ProductDescribeCreateTone | Unset = "friendly"
    language: str | Unset = "en"
    length: ProductDescribeCreateLength | Unset = "medium"
    brand: None | str | Unset = UNSET
    product_type: None | str | Unset = UNSET
    attributes: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        image = self.image.to_dict()

        tone: str | Unset = UNSET
        if not isinstance(self.tone, Unset):
            tone = self.tone

        language = self.language

        length: str | Unset = UNSET
        if not isinstance(self.length, Unset):
            length = self.length

        brand: None | str | Unset
        if isinstance(self.brand, Unset):
            brand = UNSET
        else:
            brand = self.brand

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
        if tone is not UNSET:
            field_dict["tone"] = tone
        if language is not UNSET:
            field_dict["language"] = language
        if length is not UNSET:
            field_dict["length"] = length
        if brand is not UNSET:
            field_dict["brand"] = brand
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

        _tone = d.pop("tone", UNSET)
        tone: ProductDescribeCreateTone | Unset
        if isinstance(_tone, Unset):
            tone = UNSET
        else:
            tone = check_product_describe_create_tone(_tone)

        language = d.pop("language", UNSET)

        _length = d.pop("length", UNSET)
        length: ProductDescribeCreateLength | Unset
        if isinstance(_length, Unset):
            length = UNSET
        else:
            length = check_product_describe_create_length(_length)

        def _parse_brand(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        brand = _parse_brand(d.pop("brand", UNSET))

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

        product_describe_create = cls(
            image=image,
            tone=tone,
            language=language,
            length=length,
            brand=brand,
            product_type=product_type,
            attributes=attributes,
        )

        return product_describe_create
