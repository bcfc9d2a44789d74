"""Shapes shared by several resources: images in and out, problem details."""

from functools import cache
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:
    from api.domain.commands import ImageSource


ResponseFormat = Literal["url", "base64"]


class ImageIn(BaseModel):
    """An image: inline base64 (small) or the id of an upload (up to the upload limit)."""

    model_config = ConfigDict(extra="forbid")

    base64: str | None = Field(
        default=None, description="Base64 JPEG/PNG/WebP bytes; a data: URL prefix is accepted."
    )
    upload_id: str | None = Field(default=None, description="An id from POST /v1/uploads.")

    @model_validator(mode="after")
    def _exactly_one(self) -> "ImageIn":
        if (self.base64 is None) == (self.upload_id is None):
            raise ValueError("give exactly one of 'base64' or 'upload_id'")
        return self

    def source(self) -> "ImageSource":
        from api.domain.commands import ImageSource

        return ImageSource(base64=self.base64, upload_id=self.upload_id)


class ImageOut(BaseModel):
    """An output image: a short-lived URL, or base64 when ``response_format`` asked for it."""

    url: str | None = None
    base64: str | None = None


class Problem(BaseModel):
    """RFC 9457 problem details (``application/problem+json``)."""

    type: str = Field(examples=["https://vitrine.dev/problems/invalid-image"])
    title: str
    status: int
    detail: str
    instance: str | None = None


@cache
def _problem_schema() -> dict[str, Any]:
    # Once, not once per route: every route documents its errors with it at import.
    return Problem.model_json_schema()


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting problem+json errors."""
    schema = _problem_schema()
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {"application/problem+json": {"schema": schema}},
        }
        for status in statuses
    }
