from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.upload_create_content_type import UploadCreateContentType, check_upload_create_content_type

T = TypeVar("T", bound="UploadCreate")


@_attrs_define
class UploadCreate:
    """
    Attributes:
        content_type (UploadCreateContentType):
        size_bytes (int): Exact size of the bytes to be PUT.
    """

    content_type: UploadCreateContentType
    size_bytes: int

    def to_dict(self) -> dict[str, Any]:
        content_type: str = self.content_type

        size_bytes = self.size_bytes

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "content_type": content_type,
                "size_bytes": size_bytes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        content_type = check_upload_create_content_type(d.pop("content_type"))

        size_bytes = d.pop("size_bytes")

        upload_create = cls(
            content_type=content_type,
            size_bytes=size_bytes,
        )

        return upload_create
