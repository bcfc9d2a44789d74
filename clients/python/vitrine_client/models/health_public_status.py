from typing import Literal

HealthPublicStatus = Literal["ok", "unavailable"]

HEALTH_PUBLIC_STATUS_VALUES: set[HealthPublicStatus] = {
    "ok",
    "unavailable",
}


def check_health_public_status(value: str) -> HealthPublicStatus:
    if value in HEALTH_PUBLIC_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {HEALTH_PUBLIC_STATUS_VALUES!r}")
