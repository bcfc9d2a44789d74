from typing import Literal

UploadCreateContentTypeType0 = Literal["image/jpeg", "image/png", "image/webp"]

UPLOAD_CREATE_CONTENT_TYPE_TYPE_0_VALUES: set[UploadCreateContentTypeType0] = {
    "image/jpeg",
    "image/png",
    "image/webp",
}


def check_upload_create_content_type_type_0(value: str) -> UploadCreateContentTypeType0:
    if value in UPLOAD_CREATE_CONTENT_TYPE_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {UPLOAD_CREATE_CONTENT_TYPE_TYPE_0_VALUES!r}")
