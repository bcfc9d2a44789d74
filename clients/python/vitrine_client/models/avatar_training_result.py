from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.avatar_training_result_metadata import AvatarTrainingResultMetadata


T = TypeVar("T", bound="AvatarTrainingResult")


@_attrs_define
class AvatarTrainingResult:
    """A finished avatar training: where its adapter is served, the trainer's figures.

    Attributes:
        avatar_id (str):
        target_model (str): The adapter's name on the avatar endpoint.
        metadata (AvatarTrainingResultMetadata): What the trainer reported (loss curve, adapter size, seconds).
        training_job (None | str | Unset): The SageMaker training job.
        model_artifacts (None | str | Unset):
        kind (Literal['avatar'] | Unset):  Default: 'avatar'.
        artifacts (None | str | Unset): Where the adapter files are (artifacts object prefix).
        token (None | str | Unset): The word prompts name it by.
        base (None | str | Unset): The base model it adapts.
    """

    avatar_id: str
    target_model: str
    metadata: AvatarTrainingResultMetadata
    training_job: None | str | Unset = UNSET
    model_artifacts: None | str | Unset = UNSET
    kind: Literal["avatar"] | Unset = "avatar"
    artifacts: None | str | Unset = UNSET
    token: None | str | Unset = UNSET
    base: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        avatar_id = self.avatar_id

        target_model = self.target_model

        metadata = self.metadata.to_dict()

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

        kind = self.kind

        artifacts: None | str | Unset
        if isinstance(self.artifacts, Unset):
            artifacts = UNSET
        else:
            artifacts = self.artifacts

        token: None | str | Unset
        if isinstance(self.token, Unset):
            token = UNSET
        else:
            token = self.token

        base: None | str | Unset
        if isinstance(self.base, Unset):
            base = UNSET
        else:
            base = self.base

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "avatar_id": avatar_id,
                "target_model": target_model,
                "metadata": metadata,
            }
        )
        if training_job is not UNSET:
            field_dict["training_job"] = training_job
        if model_artifacts is not UNSET:
            field_dict["model_artifacts"] = model_artifacts
        if kind is not UNSET:
            field_dict["kind"] = kind
        if artifacts is not UNSET:
            field_dict["artifacts"] = artifacts
        if token is not UNSET:
            field_dict["token"] = token
        if base is not UNSET:
            field_dict["base"] = base

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.avatar_training_result_metadata import AvatarTrainingResultMetadata  # noqa: PLC0415

        d = dict(src_dict)
        avatar_id = d.pop("avatar_id")

        target_model = d.pop("target_model")

        metadata = AvatarTrainingResultMetadata.from_dict(d.pop("metadata"))

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

        kind = cast(Literal["avatar"] | Unset, d.pop("kind", UNSET))
        if kind != "avatar" and not isinstance(kind, Unset):
            raise ValueError(f"kind must match const 'avatar', got '{kind}'")

        def _parse_artifacts(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        artifacts = _parse_artifacts(d.pop("artifacts", UNSET))

        def _parse_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        token = _parse_token(d.pop("token", UNSET))

        def _parse_base(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        base = _parse_base(d.pop("base", UNSET))

        avatar_training_result = cls(
            avatar_id=avatar_id,
            target_model=target_model,
            metadata=metadata,
            training_job=training_job,
            model_artifacts=model_artifacts,
            kind=kind,
            artifacts=artifacts,
            token=token,
            base=base,
        )

        avatar_training_result.additional_properties = d
        return avatar_training_result

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
