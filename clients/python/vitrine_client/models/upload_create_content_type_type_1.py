from typing import Literal

UploadCreateContentTypeType1 = Literal["application/jsonl", "text/csv"]

UPLOAD_CREATE_CONTENT_TYPE_TYPE_1_VALUES: set[UploadCreateContentTypeType1] = {
    "application/jsonl",
    "text/csv",
}


def check_upload_create_content_type_type_1(value: str) -> UploadCreateContentTypeType1:
    if value in UPLOAD_CREATE_CONTENT_TYPE_TYPE_1_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {UPLOAD_CREATE_CONTENT_TYPE_TYPE_1_VALUES!r}")
