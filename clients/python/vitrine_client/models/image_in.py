from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageIn")


@_attrs_define
class ImageIn:
    """An image: inline base64 (small) or the id of an upload (up to the upload limit).

    Attributes:
        base64 (None | str | Unset): Base64 JPEG/PNG/WebP bytes; a data: URL prefix is accepted.
        upload_id (None | str | Unset): An id from POST /v1/uploads.
    """

    base64: None | str | Unset = UNSET
    upload_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        base64: None | str | Unset
        if isinstance(self.base64, Unset):
            base64 = UNSET
        else:
            base64 = self.base64

        upload_id: None | str | Unset
        if isinstance(self.upload_id, Unset):
            upload_id = UNSET
        else:
            upload_id = self.upload_id

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if base64 is not UNSET:
            field_dict["base64"] = base64
        if upload_id is not UNSET:
            field_dict["upload_id"] = upload_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_base64(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        base64 = _parse_base64(d.pop("base64", UNSET))

        def _parse_upload_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        upload_id = _parse_upload_id(d.pop("upload_id", UNSET))

        image_in = cls(
            base64=base64,
            upload_id=upload_id,
        )

        return image_in
