from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.captioned_image_in import CaptionedImageIn


T = TypeVar("T", bound="ProductModelCreate")


@_attrs_define
class ProductModelCreate:
    """A catalog LoRA on SDXL.

    Attributes:
        name (str):
        kind (Literal['product']):
        images (list[CaptionedImageIn] | None | Unset): Images with their captions.
        csv (None | str | Unset): CSV text with a header: image (upload ids) and caption.
        jsonl (None | str | Unset): JSON lines: {"image": "<upload id>", "caption": "..."}.
        callback_url (None | str | Unset): HTTPS URL that receives a signed POST when training ends.
        token (None | str | Unset): A rare word prepended to captions (default 'vtrprod').
    """

    name: str
    kind: Literal["product"]
    images: list[CaptionedImageIn] | None | Unset = UNSET
    csv: None | str | Unset = UNSET
    jsonl: None | str | Unset = UNSET
    callback_url: None | str | Unset = UNSET
    token: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        kind = self.kind

        images: list[dict[str, Any]] | None | Unset
        if isinstance(self.images, Unset):
            images = UNSET
        elif isinstance(self.images, list):
            images = []
            for images_type_0_item_data in self.images:
                images_type_0_item = images_type_0_item_data.to_dict()
                images.append(images_type_0_item)

        else:
            images = self.images

        csv: None | str | Unset
        if isinstance(self.csv, Unset):
            csv = UNSET
        else:
            csv = self.csv

        jsonl: None | str | Unset
        if isinstance(self.jsonl, Unset):
            jsonl = UNSET
        else:
            jsonl = self.jsonl

        callback_url: None | str | Unset
        if isinstance(self.callback_url, Unset):
            callback_url = UNSET
        else:
            callback_url = self.callback_url

        token: None | str | Unset
        if isinstance(self.token, Unset):
            token = UNSET
        else:
            token = self.token

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "kind": kind,
            }
        )
        if images is not UNSET:
            field_dict["images"] = images
        if csv is not UNSET:
            field_dict["csv"] = csv
        if jsonl is not UNSET:
            field_dict["jsonl"] = jsonl
        if callback_url is not UNSET:
            field_dict["callback_url"] = callback_url
        if token is not UNSET:
            field_dict["token"] = token

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.captioned_image_in import CaptionedImageIn  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        kind = cast(Literal["product"], d.pop("kind"))
        if kind != "product":
            raise ValueError(f"kind must match const 'product', got '{kind}'")

        def _parse_images(data: object) -> list[CaptionedImageIn] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                images_type_0 = []
                _images_type_0 = data
                for images_type_0_item_data in _images_type_0:
                    images_type_0_item = CaptionedImageIn.from_dict(images_type_0_item_data)

                    images_type_0.append(images_type_0_item)

                return images_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[CaptionedImageIn] | None | Unset, data)

        images = _parse_images(d.pop("images", UNSET))

        def _parse_csv(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        csv = _parse_csv(d.pop("csv", UNSET))

        def _parse_jsonl(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        jsonl = _parse_jsonl(d.pop("jsonl", UNSET))

        def _parse_callback_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        callback_url = _parse_callback_url(d.pop("callback_url", UNSET))

        def _parse_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        token = _parse_token(d.pop("token", UNSET))

        product_model_create = cls(
            name=name,
            kind=kind,
            images=images,
            csv=csv,
            jsonl=jsonl,
            callback_url=callback_url,
            token=token,
        )

        return product_model_create
