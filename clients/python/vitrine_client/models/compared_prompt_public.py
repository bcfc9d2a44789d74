from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ComparedPromptPublic")


@_attrs_define
class ComparedPromptPublic:
    """
    Attributes:
        index (int):
        prompt (str):
        negative_prompt (None | str | Unset):
        reference_image (None | str | Unset): A short-lived URL (fresh on every read).
        person_image (None | str | Unset): A short-lived URL (fresh on every read).
        blocked (None | str | Unset): Why moderation flagged the prompt (its row was not generated).
    """

    index: int
    prompt: str
    negative_prompt: None | str | Unset = UNSET
    reference_image: None | str | Unset = UNSET
    person_image: None | str | Unset = UNSET
    blocked: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        index = self.index

        prompt = self.prompt

        negative_prompt: None | str | Unset
        if isinstance(self.negative_prompt, Unset):
            negative_prompt = UNSET
        else:
            negative_prompt = self.negative_prompt

        reference_image: None | str | Unset
        if isinstance(self.reference_image, Unset):
            reference_image = UNSET
        else:
            reference_image = self.reference_image

        person_image: None | str | Unset
        if isinstance(self.person_image, Unset):
            person_image = UNSET
        else:
            person_image = self.person_image

        blocked: None | str | Unset
        if isinstance(self.blocked, Unset):
            blocked = UNSET
        else:
            blocked = self.blocked

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "prompt": prompt,
            }
        )
        if negative_prompt is not UNSET:
            field_dict["negative_prompt"] = negative_prompt
        if reference_image is not UNSET:
            field_dict["reference_image"] = reference_image
        if person_image is not UNSET:
            field_dict["person_image"] = person_image
        if blocked is not UNSET:
            field_dict["blocked"] = blocked

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        index = d.pop("index")

        prompt = d.pop("prompt")

        def _parse_negative_prompt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        negative_prompt = _parse_negative_prompt(d.pop("negative_prompt", UNSET))

        def _parse_reference_image(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference_image = _parse_reference_image(d.pop("reference_image", UNSET))

        def _parse_person_image(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        person_image = _parse_person_image(d.pop("person_image", UNSET))

        def _parse_blocked(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        blocked = _parse_blocked(d.pop("blocked", UNSET))

        compared_prompt_public = cls(
            index=index,
            prompt=prompt,
            negative_prompt=negative_prompt,
            reference_image=reference_image,
            person_image=person_image,
            blocked=blocked,
        )

        compared_prompt_public.additional_properties = d
        return compared_prompt_public

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
