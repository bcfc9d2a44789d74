from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.upload_target_public import UploadTargetPublic


T = TypeVar("T", bound="UploadPublic")


@_attrs_define
class UploadPublic:
    """
    Attributes:
        upload_id (str): Use as {'upload_id': ...} wherever an image is taken.
        upload (UploadTargetPublic):
    """

    upload_id: str
    upload: UploadTargetPublic
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        upload_id = self.upload_id

        upload = self.upload.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "upload_id": upload_id,
                "upload": upload,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.upload_target_public import UploadTargetPublic  # noqa: PLC0415

        d = dict(src_dict)
        upload_id = d.pop("upload_id")

        upload = UploadTargetPublic.from_dict(d.pop("upload"))

        upload_public = cls(
            upload_id=upload_id,
            upload=upload,
        )

        upload_public.additional_properties = d
        return upload_public

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
