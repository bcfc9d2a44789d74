"""``GET /healthz``: no auth, no I/O beyond one ``stat`` on the local profile."""

from fastapi import APIRouter, Request

from api.deps import SettingsDep
from api.schemas.health import HealthPublic

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model_exclude_none=True)
def healthz(request: Request, settings: SettingsDep) -> HealthPublic:
    """Liveness and deployment profile."""
    present = settings.models_dir.is_dir() if settings.profile == "local" else None
    return HealthPublic(
        profile=settings.profile, version=request.app.version, models_dir_present=present
    )
