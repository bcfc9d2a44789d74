from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.description_create_length import DescriptionCreateLength, check_description_create_length
from ..models.description_create_tone import DescriptionCreateTone, check_description_create_tone
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.description_create_attributes import DescriptionCreateAttributes


T = TypeVar("T", bound="DescriptionCreate")


@_attrs_define
class DescriptionCreate:
    """
    Attributes:
        product_type (str):
        tone (DescriptionCreateTone | Unset):  Default: 'friendly'.
        language (str | Unset): BCP 47, e.g. 'en', 'fr', 'de-CH'. Default: 'en'.
        length (DescriptionCreateLength | Unset):  Default: 'medium'.
        brand (None | str | Unset):
        attributes (DescriptionCreateAttributes | Unset):
    """

    product_type: str
    tone: DescriptionCreateTone | Unset = "friendly"
    language: str | Unset = "en"
    length: DescriptionCreateLength | Unset = "medium"
    brand: None | str | Unset = UNSET
    attributes: DescriptionCreateAttributes | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        product_type = self.product_type

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

        attributes: dict[str, Any] | Unset = UNSET
        if not isinstance(self.attributes, Unset):
            attributes = self.attributes.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "product_type": product_type,
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
        if attributes is not UNSET:
            field_dict["attributes"] = attributes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.description_create_attributes import DescriptionCreateAttributes  # noqa: PLC0415

        d = dict(src_dict)
        product_type = d.pop("product_type")

        _tone = d.pop("tone", UNSET)
        tone: DescriptionCreateTone | Unset
        if isinstance(_tone, Unset):
            tone = UNSET
        else:
            tone = check_description_create_tone(_tone)

        language = d.pop("language", UNSET)

        _length = d.pop("length", UNSET)
        length: DescriptionCreateLength | Unset
        if isinstance(_length, Unset):
            length = UNSET
        else:
            length = check_description_create_length(_length)

        def _parse_brand(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        brand = _parse_brand(d.pop("brand", UNSET))

        _attributes = d.pop("attributes", UNSET)
        attributes: DescriptionCreateAttributes | Unset
        if isinstance(_attributes, Unset):
            attributes = UNSET
        else:
            attributes = DescriptionCreateAttributes.from_dict(_attributes)

        description_create = cls(
            product_type=product_type,
            tone=tone,
            language=language,
            length=length,
            brand=brand,
            attributes=attributes,
        )

        return description_create
