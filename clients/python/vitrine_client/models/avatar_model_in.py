from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.avatar_model_in_subject_class import AvatarModelInSubjectClass, check_avatar_model_in_subject_class
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.image_in import ImageIn


T = TypeVar("T", bound="AvatarModelIn")


@_attrs_define
class AvatarModelIn:
    """An avatar (the same body as POST /v1/avatar-models, with ``kind``).

    Attributes:
        name (str): A label for the avatar, e.g. 'Ana, spring shoot'.
        subject_class (AvatarModelInSubjectClass): What the photos show.
        photos (list[ImageIn]): 10-15 photos of the subject (deployment range applies): varied poses, backgrounds and
            light; large photos go through POST /v1/uploads.
        kind (Literal['avatar']):
        callback_url (None | str | Unset): HTTPS URL that receives a signed POST when training ends.
    """

    name: str
    subject_class: AvatarModelInSubjectClass
    photos: list[ImageIn]
    kind: Literal["avatar"]
    callback_url: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        subject_class: str = self.subject_class

        photos = []
        for photos_item_data in self.photos:
            photos_item = photos_item_data.to_dict()
            photos.append(photos_item)

        kind = self.kind

        callback_url: None | str | Unset
        if isinstance(self.callback_url, Unset):
            callback_url = UNSET
        else:
            callback_url = self.callback_url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "subject_class": subject_class,
                "photos": photos,
                "kind": kind,
            }
        )
        if callback_url is not UNSET:
            field_dict["callback_url"] = callback_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_in import ImageIn  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        subject_class = check_avatar_model_in_subject_class(d.pop("subject_class"))

        photos = []
        _photos = d.pop("photos")
        for photos_item_data in _photos:
            photos_item = ImageIn.from_dict(photos_item_data)

            photos.append(photos_item)

        kind = cast(Literal["avatar"], d.pop("kind"))
        if kind != "avatar":
            raise ValueError(f"kind must match const 'avatar', got '{kind}'")

        def _parse_callback_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        callback_url = _parse_callback_url(d.pop("callback_url", UNSET))

        avatar_model_in = cls(
            name=name,
            subject_class=subject_class,
            photos=photos,
            kind=kind,
            callback_url=callback_url,
        )

        return avatar_model_in
