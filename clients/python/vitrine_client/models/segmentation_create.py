from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.segmentation_create_response_format import (
    SegmentationCreateResponseFormat,
    check_segmentation_create_response_format,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.image_in import ImageIn


T = TypeVar("T", bound="SegmentationCreate")


@_attrs_define
class SegmentationCreate:
    """
    Attributes:
        image (ImageIn): An image: inline base64 (small) or the id of an upload (up to the upload limit).
        prompts (list[str]): What to segment, e.g. ['the dress'].
        threshold (float | None | Unset):
        response_format (SegmentationCreateResponseFormat | Unset):  Default: 'url'.
    """

    image: ImageIn
    prompts: list[str]
    threshold: float | None | Unset = UNSET
    response_format: SegmentationCreateResponseFormat | Unset = "url"

    def to_dict(self) -> dict[str, Any]:
        image = self.image.to_dict()

        prompts = self.prompts

        threshold: float | None | Unset
        if isinstance(self.threshold, Unset):
            threshold = UNSET
        else:
            threshold = self.threshold

        response_format: str | Unset = UNSET
        if not isinstance(self.response_format, Unset):
            response_format = self.response_format

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "image": image,
                "prompts": prompts,
            }
        )
        if threshold is not UNSET:
            field_dict["threshold"] = threshold
        if response_format is not UNSET:
            field_dict["response_format"] = response_format

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_in import ImageIn  # noqa: PLC0415

        d = dict(src_dict)
        image = ImageIn.from_dict(d.pop("image"))

        prompts = cast(list[str], d.pop("prompts"))

        def _parse_threshold(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        threshold = _parse_threshold(d.pop("threshold", UNSET))

        _response_format = d.pop("response_format", UNSET)
        response_format: SegmentationCreateResponseFormat | Unset
        if isinstance(_response_format, Unset):
            response_format = UNSET
        else:
            response_format = check_segmentation_create_response_format(_response_format)

        segmentation_create = cls(
            image=image,
            prompts=prompts,
            threshold=threshold,
            response_format=response_format,
        )

        return segmentation_create
