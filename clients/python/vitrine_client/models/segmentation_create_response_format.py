from typing import Literal

SegmentationCreateResponseFormat = Literal["base64", "url"]

SEGMENTATION_CREATE_RESPONSE_FORMAT_VALUES: set[SegmentationCreateResponseFormat] = {
    "base64",
    "url",
}


def check_segmentation_create_response_format(value: str) -> SegmentationCreateResponseFormat:
    if value in SEGMENTATION_CREATE_RESPONSE_FORMAT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SEGMENTATION_CREATE_RESPONSE_FORMAT_VALUES!r}")
