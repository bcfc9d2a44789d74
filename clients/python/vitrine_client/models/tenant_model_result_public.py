from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tenant_model_result_public_adapter_type import (
    TenantModelResultPublicAdapterType,
    check_tenant_model_result_public_adapter_type,
)
from ..models.tenant_model_result_public_kind import TenantModelResultPublicKind, check_tenant_model_result_public_kind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tenant_model_result_public_metadata import TenantModelResultPublicMetadata


T = TypeVar("T", bound="TenantModelResultPublic")


@_attrs_define
class TenantModelResultPublic:
    """A trained style, product or concept model: how prompts and requests use it.

    Attributes:
        model_id (str):
        kind (TenantModelResultPublicKind):
        base (str): The base model the adapter applies to.
        adapter_type (TenantModelResultPublicAdapterType):
        artifacts (str): Where the adapter files are (artifacts object prefix).
        metadata (TenantModelResultPublicMetadata): The trainer's model.json: base, token, steps, loss curve, seconds,
            adapter bytes.
        token (None | str | Unset): The word prompts name it by.
        training_job (None | str | Unset): The SageMaker training job.
        model_artifacts (None | str | Unset):
    """

    model_id: str
    kind: TenantModelResultPublicKind
    base: str
    adapter_type: TenantModelResultPublicAdapterType
    artifacts: str
    metadata: TenantModelResultPublicMetadata
    token: None | str | Unset = UNSET
    training_job: None | str | Unset = UNSET
    model_artifacts: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model_id = self.model_id

        kind: str = self.kind

        base = self.base

        adapter_type: str = self.adapter_type

        artifacts = self.artifacts

        metadata = self.metadata.to_dict()

        token: None | str | Unset
        if isinstance(self.token, Unset):
            token = UNSET
        else:
            token = self.token

        training_job: None | str | Unset
        if isinstance(self.training_job, Unset):
            training_job = UNSET
        else:
            training_job = self.training_job

        model_artifacts: None | str | Unset
        if isinstance(self.model_artifacts, Unset):
            model_artifacts = UNSET
        else:
            model_artifacts = self.model_artifacts

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model_id": model_id,
                "kind": kind,
                "base": base,
                "adapter_type": adapter_type,
                "artifacts": artifacts,
                "metadata": metadata,
            }
        )
        if token is not UNSET:
            field_dict["token"] = token
        if training_job is not UNSET:
            field_dict["training_job"] = training_job
        if model_artifacts is not UNSET:
            field_dict["model_artifacts"] = model_artifacts

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tenant_model_result_public_metadata import TenantModelResultPublicMetadata  # noqa: PLC0415

        d = dict(src_dict)
        model_id = d.pop("model_id")

        kind = check_tenant_model_result_public_kind(d.pop("kind"))

        base = d.pop("base")

        adapter_type = check_tenant_model_result_public_adapter_type(d.pop("adapter_type"))

        artifacts = d.pop("artifacts")

        metadata = TenantModelResultPublicMetadata.from_dict(d.pop("metadata"))

        def _parse_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        token = _parse_token(d.pop("token", UNSET))

        def _parse_training_job(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        training_job = _parse_training_job(d.pop("training_job", UNSET))

        def _parse_model_artifacts(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model_artifacts = _parse_model_artifacts(d.pop("model_artifacts", UNSET))

        tenant_model_result_public = cls(
            model_id=model_id,
            kind=kind,
            base=base,
            adapter_type=adapter_type,
            artifacts=artifacts,
            metadata=metadata,
            token=token,
            training_job=training_job,
            model_artifacts=model_artifacts,
        )

        tenant_model_result_public.additional_properties = d
        return tenant_model_result_public

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
