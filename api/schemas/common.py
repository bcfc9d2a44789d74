"""Shapes shared by several resources: images in and out, problem details."""

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.config import JsonDict

if TYPE_CHECKING:
    from api.domain.commands import ImageSource


ResponseFormat = Literal["url", "base64"]


# The image in request examples: an upload's id (inline base64 works as well).
EXAMPLE_IMAGE: JsonDict = {"upload_id": "upl_3q2-7xPq9lR0aB1cD2eF3g"}


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


class ResultImage(BaseModel):
    """An image a job produced: a short-lived URL (fresh on every read of the job)."""

    url: str


class WithheldImage(BaseModel):
    """An output image moderation withheld: its index in the model's answer, and why."""

    index: int
    reasons: list[str]


class JobErrorPublic(BaseModel):
    """Why a job failed, problem-style: ``type`` is a stable URI clients may switch on."""

    type: str
    title: str
    detail: str


class ProblemFieldError(BaseModel):
    """One failed check of a request that failed validation."""

    loc: list[str] = Field(description="Where: e.g. ['body', 'image', 'base64'].")
    msg: str
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details (``application/problem+json``): every error the API sends.

    Clients switch on ``type`` (stable URIs); extension members depend on the type.
    """

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=["https://vitrine.dev/problems/invalid-image"])
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemFieldError] | None = Field(
        default=None, description="validation-error: each failed check."
    )
    retry_after: int | None = Field(
        default=None, description="Seconds to wait before retrying (also in Retry-After)."
    )


PROBLEM_JSON = "application/problem+json"
# Every error response points here; the app's OpenAPI document defines it once.
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def accepted(what: str) -> dict[int | str, dict[str, Any]]:
    """The 202 of a route that queues work, with the ``Location`` to poll."""
    return {
        202: {
            "description": f"Accepted: poll the {what} at Location.",
            "headers": {
                "Location": {
                    "description": f"The {what}'s URL path.",
                    "schema": {"type": "string"},
                }
            },
        }
    }


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting problem+json errors (one shared schema)."""
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}},
        }
        for status in statuses
    }
