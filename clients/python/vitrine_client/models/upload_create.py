from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.upload_create_content_type_type_0 import (
    UploadCreateContentTypeType0,
    check_upload_create_content_type_type_0,
)
from ..models.upload_create_content_type_type_1 import (
    UploadCreateContentTypeType1,
    check_upload_create_content_type_type_1,
)

T = TypeVar("T", bound="UploadCreate")


@_attrs_define
class UploadCreate:
    """
    Attributes:
        content_type (UploadCreateContentTypeType0 | UploadCreateContentTypeType1): An image, or a comparison's prompt
            set (text/csv, application/jsonl).
        size_bytes (int): Exact size of the bytes to be PUT.
    """

    content_type: UploadCreateContentTypeType0 | UploadCreateContentTypeType1
    size_bytes: int

    def to_dict(self) -> dict[str, Any]:
        content_type: str
        if isinstance(self.content_type, str):
            content_type = self.content_type
        else:
            content_type = self.content_type

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

        def _parse_content_type(data: object) -> UploadCreateContentTypeType0 | UploadCreateContentTypeType1:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                content_type_type_0 = check_upload_create_content_type_type_0(data)

                return content_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            content_type_type_1 = check_upload_create_content_type_type_1(data)

            return content_type_type_1

        content_type = _parse_content_type(d.pop("content_type"))

        size_bytes = d.pop("size_bytes")

        upload_create = cls(
            content_type=content_type,
            size_bytes=size_bytes,
        )

        return upload_create
