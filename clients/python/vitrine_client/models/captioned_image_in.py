from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.image_in import ImageIn


T = TypeVar("T", bound="CaptionedImageIn")


@_attrs_define
class CaptionedImageIn:
    """
    Attributes:
        image (ImageIn): An image: inline base64 (small) or the id of an upload (up to the upload limit).
        caption (str): What the image shows: design, pattern, colour, fabric (e.g. 'a long floral chiffon summer skirt,
            pastel blue').
    """

    image: ImageIn
    caption: str

    def to_dict(self) -> dict[str, Any]:
        image = self.image.to_dict()

        caption = self.caption

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "image": image,
                "caption": caption,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_in import ImageIn  # noqa: PLC0415

        d = dict(src_dict)
        image = ImageIn.from_dict(d.pop("image"))

        caption = d.pop("caption")

        captioned_image_in = cls(
            image=image,
            caption=caption,
        )

        return captioned_image_in
