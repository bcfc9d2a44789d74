from typing import Literal

UploadCreateContentType = Literal["image/jpeg", "image/png", "image/webp"]

UPLOAD_CREATE_CONTENT_TYPE_VALUES: set[UploadCreateContentType] = {
    "image/jpeg",
    "image/png",
    "image/webp",
}


def check_upload_create_content_type(value: str) -> UploadCreateContentType:
    if value in UPLOAD_CREATE_CONTENT_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {UPLOAD_CREATE_CONTENT_TYPE_VALUES!r}")
