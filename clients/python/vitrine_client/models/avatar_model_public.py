from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.avatar_model_public_status import AvatarModelPublicStatus, check_avatar_model_public_status
from ..models.avatar_model_public_subject_class import (
    AvatarModelPublicSubjectClass,
    check_avatar_model_public_subject_class,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.avatar_model_public_links import AvatarModelPublicLinks
    from ..models.avatar_training_public import AvatarTrainingPublic
    from ..models.job_error_public import JobErrorPublic


T = TypeVar("T", bound="AvatarModelPublic")


@_attrs_define
class AvatarModelPublic:
    """
    Attributes:
        id (str):
        name (str):
        subject_class (AvatarModelPublicSubjectClass):
        token (str): The rare token that names the subject in prompts.
        subject (str): Write this in generation prompts, e.g. 'sks woman'.
        status (AvatarModelPublicStatus):
        photo_count (int):
        training (AvatarTrainingPublic): How the avatar is (being) trained; the loss figures arrive once training ends.
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        links (AvatarModelPublicLinks): 'self'; 'job': the training job; 'generations': where to POST prompts.
        error (JobErrorPublic | None | Unset):
    """

    id: str
    name: str
    subject_class: AvatarModelPublicSubjectClass
    token: str
    subject: str
    status: AvatarModelPublicStatus
    photo_count: int
    training: AvatarTrainingPublic
    created_at: datetime.datetime
    updated_at: datetime.datetime
    links: AvatarModelPublicLinks
    error: JobErrorPublic | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.job_error_public import JobErrorPublic  # noqa: PLC0415

        id = self.id

        name = self.name

        subject_class: str = self.subject_class

        token = self.token

        subject = self.subject

        status: str = self.status

        photo_count = self.photo_count

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
                "name": name,
                "subject_class": subject_class,
                "token": token,
                "subject": subject,
                "status": status,
                "photo_count": photo_count,
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
        from ..models.avatar_model_public_links import AvatarModelPublicLinks  # noqa: PLC0415
        from ..models.avatar_training_public import AvatarTrainingPublic  # noqa: PLC0415
        from ..models.job_error_public import JobErrorPublic  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        subject_class = check_avatar_model_public_subject_class(d.pop("subject_class"))

        token = d.pop("token")

        subject = d.pop("subject")

        status = check_avatar_model_public_status(d.pop("status"))

        photo_count = d.pop("photo_count")

        training = AvatarTrainingPublic.from_dict(d.pop("training"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        links = AvatarModelPublicLinks.from_dict(d.pop("links"))

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

        avatar_model_public = cls(
            id=id,
            name=name,
            subject_class=subject_class,
            token=token,
            subject=subject,
            status=status,
            photo_count=photo_count,
            training=training,
            created_at=created_at,
            updated_at=updated_at,
            links=links,
            error=error,
        )

        avatar_model_public.additional_properties = d
        return avatar_model_public

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
