from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ComparedPromptIn")


@_attrs_define
class ComparedPromptIn:
    """A row: the prompt (moderated: a flagged row is recorded as blocked, not generated)
    and optional photos (upload ids) for the models that use them.

        Attributes:
            prompt (str):
            negative_prompt (None | str | Unset):
            reference_image (None | str | Unset): ControlNet columns follow its edges/depth (without one, their cell is
                skipped).
            person_image (None | str | Unset): try_on columns dress this person (without one, their cell is skipped).
    """

    prompt: str
    negative_prompt: None | str | Unset = UNSET
    reference_image: None | str | Unset = UNSET
    person_image: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if negative_prompt is not UNSET:
            field_dict["negative_prompt"] = negative_prompt
        if reference_image is not UNSET:
            field_dict["reference_image"] = reference_image
        if person_image is not UNSET:
            field_dict["person_image"] = person_image

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
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

        compared_prompt_in = cls(
            prompt=prompt,
            negative_prompt=negative_prompt,
            reference_image=reference_image,
            person_image=person_image,
        )

        return compared_prompt_in
