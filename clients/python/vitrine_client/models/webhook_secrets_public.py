from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_secrets_public_signed_with import (
    WebhookSecretsPublicSignedWith,
    check_webhook_secrets_public_signed_with,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.retired_secret_public import RetiredSecretPublic


T = TypeVar("T", bound="WebhookSecretsPublic")


@_attrs_define
class WebhookSecretsPublic:
    """Which secrets sign this tenant's webhooks now; never their values.

    Attributes:
        signed_with (WebhookSecretsPublicSignedWith): tenant: its own secret; deployment: the deployment's shared
            secret, until the tenant creates one (POST /v1/webhook-secrets).
        current_id (None | str | Unset):
        created_at (datetime.datetime | None | Unset):
        previous (list[RetiredSecretPublic] | Unset): Secrets that also sign deliveries until their grace period ends.
    """

    signed_with: WebhookSecretsPublicSignedWith
    current_id: None | str | Unset = UNSET
    created_at: datetime.datetime | None | Unset = UNSET
    previous: list[RetiredSecretPublic] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        signed_with: str = self.signed_with

        current_id: None | str | Unset
        if isinstance(self.current_id, Unset):
            current_id = UNSET
        else:
            current_id = self.current_id

        created_at: None | str | Unset
        if isinstance(self.created_at, Unset):
            created_at = UNSET
        elif isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

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
                "signed_with": signed_with,
            }
        )
        if current_id is not UNSET:
            field_dict["current_id"] = current_id
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if previous is not UNSET:
            field_dict["previous"] = previous

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.retired_secret_public import RetiredSecretPublic  # noqa: PLC0415

        d = dict(src_dict)
        signed_with = check_webhook_secrets_public_signed_with(d.pop("signed_with"))

        def _parse_current_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        current_id = _parse_current_id(d.pop("current_id", UNSET))

        def _parse_created_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        created_at = _parse_created_at(d.pop("created_at", UNSET))

        _previous = d.pop("previous", UNSET)
        previous: list[RetiredSecretPublic] | Unset = UNSET
        if _previous is not UNSET:
            previous = []
            for previous_item_data in _previous:
                previous_item = RetiredSecretPublic.from_dict(previous_item_data)

                previous.append(previous_item)

        webhook_secrets_public = cls(
            signed_with=signed_with,
            current_id=current_id,
            created_at=created_at,
            previous=previous,
        )

        webhook_secrets_public.additional_properties = d
        return webhook_secrets_public

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
