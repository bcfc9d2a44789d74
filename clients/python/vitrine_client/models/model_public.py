from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model_public_kind import ModelPublicKind, check_model_public_kind
from ..models.model_public_status import ModelPublicStatus, check_model_public_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.job_error_public import JobErrorPublic
    from ..models.model_public_links import ModelPublicLinks
    from ..models.model_training_public import ModelTrainingPublic


T = TypeVar("T", bound="ModelPublic")


@_attrs_define
class ModelPublic:
    """
    Attributes:
        id (str):
        kind (ModelPublicKind):
        name (str):
        status (ModelPublicStatus):
        token (None | str): The word prompts name the model by.
        base (None | str): The base model it adapts.
        images (int): Training images (an avatar's photos).
        training (ModelTrainingPublic): How the model is (being) trained; the figures arrive once training ends.
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        links (ModelPublicLinks): 'self'; 'job': the training job; avatars: 'generations'.
        error (JobErrorPublic | None | Unset):
    """

    id: str
    kind: ModelPublicKind
    name: str
    status: ModelPublicStatus
    token: None | str
    base: None | str
    images: int
    training: ModelTrainingPublic
    created_at: datetime.datetime
    updated_at: datetime.datetime
    links: ModelPublicLinks
    error: JobErrorPublic | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.job_error_public import JobErrorPublic  # noqa: PLC0415

        id = self.id

        kind: str = self.kind

        name = self.name

        status: str = self.status

        token: None | str
        token = self.token

        base: None | str
        base = self.base

        images = self.images

        training = self.training.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        links = self.links.to_dict()

        error: dict[str, Any] | None | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, JobErrorPublic):
            error = self.error.to_dict()
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "name": name,
                "status": status,
                "token": token,
                "base": base,
                "images": images,
                "training": training,
                "created_at": created_at,
                "updated_at": updated_at,
                "links": links,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_error_public import JobErrorPublic  # noqa: PLC0415
        from ..models.model_public_links import ModelPublicLinks  # noqa: PLC0415
        from ..models.model_training_public import ModelTrainingPublic  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        kind = check_model_public_kind(d.pop("kind"))

        name = d.pop("name")

        status = check_model_public_status(d.pop("status"))

        def _parse_token(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        token = _parse_token(d.pop("token"))

        def _parse_base(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        base = _parse_base(d.pop("base"))

        images = d.pop("images")

        training = ModelTrainingPublic.from_dict(d.pop("training"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        links = ModelPublicLinks.from_dict(d.pop("links"))

        def _parse_error(data: object) -> JobErrorPublic | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = JobErrorPublic.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobErrorPublic | None | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        model_public = cls(
            id=id,
            kind=kind,
            name=name,
            status=status,
            token=token,
            base=base,
            images=images,
            training=training,
            created_at=created_at,
            updated_at=updated_at,
            links=links,
            error=error,
        )

        model_public.additional_properties = d
        return model_public

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
