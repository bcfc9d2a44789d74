"""Health: a cheap, minimal answer (no model, no database round trip, no internals)."""

from typing import Literal

from pydantic import BaseModel


class HealthPublic(BaseModel):
    """``ok`` (200) when this deployment can serve; ``unavailable`` (503) when it cannot
    (local profile: no models folder). Nothing else: no paths, versions or settings."""

    status: Literal["ok", "unavailable"] = "ok"
