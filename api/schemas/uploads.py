"""Uploads: announce an image, get a short-lived PUT target for its bytes."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ImageContentType = Literal["image/jpeg", "image/png", "image/webp"]
# Prompt sets for comparisons (``prompts_upload``): UTF-8 text.
TextContentType = Literal["text/csv", "application/jsonl"]


class UploadCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"content_type": "image/jpeg", "size_bytes": 482113}]},
    )

    content_type: ImageContentType | TextContentType = Field(
        description="An image, or a comparison's prompt set (text/csv, application/jsonl)."
    )
    size_bytes: int = Field(gt=0, strict=True, description="Exact size of the bytes to be PUT.")


class UploadTargetPublic(BaseModel):
    url: str
    method: str = "PUT"
    headers: dict[str, str] = Field(description="Send these headers with the PUT.")
    expires_at: datetime


class UploadPublic(BaseModel):
    upload_id: str = Field(description="Use as {'upload_id': ...} wherever an image is taken.")
    upload: UploadTargetPublic
