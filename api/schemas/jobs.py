"""Jobs: the public view of long-running work."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from api.domain.jobs import JobKind, JobStatus


class JobErrorPublic(BaseModel):
    """Why a job failed, problem-style: ``type`` is a stable URI clients may switch on."""

    type: str
    title: str
    detail: str


class JobPublic(BaseModel):
    id: str
    kind: JobKind
    status: JobStatus
    created_at: datetime
    updated_at: datetime
    result: dict[str, Any] | None = Field(
        default=None, description="Set once succeeded; image URLs are short-lived."
    )
    error: JobErrorPublic | None = None
    links: dict[str, str] = Field(description="'self': where to poll this job.")
