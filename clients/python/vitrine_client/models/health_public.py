from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.health_public_status import HealthPublicStatus, check_health_public_status
from ..types import UNSET, Unset

T = TypeVar("T", bound="HealthPublic")


@_attrs_define
class HealthPublic:
    """``ok`` (200) when this deployment can serve; ``unavailable`` (503) when it cannot
    (local profile: no models folder). Nothing else: no paths, versions or settings.

        Attributes:
            status (HealthPublicStatus | Unset):  Default: 'ok'.
    """

    status: HealthPublicStatus | Unset = "ok"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _status = d.pop("status", UNSET)
        status: HealthPublicStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = check_health_public_status(_status)

        health_public = cls(
            status=status,
        )

        health_public.additional_properties = d
        return health_public

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
