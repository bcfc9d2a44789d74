from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.retired_secret_public import RetiredSecretPublic


T = TypeVar("T", bound="WebhookSecretCreated")


@_attrs_define
class WebhookSecretCreated:
    """A new signing secret: store ``secret`` now, it is never shown again.

    Attributes:
        id (str):
        secret (str): 'whsec_' + base64 key, for the standardwebhooks library's Webhook(...).
        created_at (datetime.datetime):
        previous (list[RetiredSecretPublic] | Unset): Secrets that keep signing beside this one until their grace ends.
    """

    id: str
    secret: str
    created_at: datetime.datetime
    previous: list[RetiredSecretPublic] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        secret = self.secret

        created_at = self.created_at.isoformat()

        previous: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.previous, Unset):
            previous = []
            for previous_item_data in self.previous:
                previous_item = previous_item_data.to_dict()
                previous.append(previous_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "secret": secret,
                "created_at": created_at,
            }
        )
        if previous is not UNSET:
            field_dict["previous"] = previous

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.retired_secret_public import RetiredSecretPublic  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        secret = d.pop("secret")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        _previous = d.pop("previous", UNSET)
        previous: list[RetiredSecretPublic] | Unset = UNSET
        if _previous is not UNSET:
            previous = []
            for previous_item_data in _previous:
                previous_item = RetiredSecretPublic.from_dict(previous_item_data)

                previous.append(previous_item)

        webhook_secret_created = cls(
            id=id,
            secret=secret,
            created_at=created_at,
            previous=previous,
        )

        webhook_secret_created.additional_properties = d
        return webhook_secret_created

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
