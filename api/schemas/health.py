"""Health: a cheap liveness answer (no model, no database round trip)."""

from typing import Literal

from pydantic import BaseModel, Field


class HealthPublic(BaseModel):
    status: Literal["ok"] = "ok"
    profile: Literal["local", "aws"]
    version: str
    models_dir_present: bool | None = Field(
        default=None, description="Local profile: whether the models directory exists."
    )
