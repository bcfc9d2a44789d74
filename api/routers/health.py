"""``GET /healthz``: no auth, no I/O beyond one ``stat`` on the local profile."""

import logging

from fastapi import APIRouter, Response

from api.deps import SettingsDep
from api.schemas.health import HealthPublic

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)


@router.get(
    "/healthz",
    operation_id="getHealth",
    responses={503: {"model": HealthPublic, "description": "Cannot serve"}},
)
def healthz(response: Response, settings: SettingsDep) -> HealthPublic:
    """Whether this deployment can serve: 200 ``ok``, or 503 ``unavailable``."""
    if settings.profile == "local" and not settings.models_dir.is_dir():
        # Specifics for operators only: clients learn nothing about the layout.
        log.warning("healthz: models folder %s is missing (run `make models`)", settings.models_dir)
        response.status_code = 503
        return HealthPublic(status="unavailable")
    return HealthPublic()
