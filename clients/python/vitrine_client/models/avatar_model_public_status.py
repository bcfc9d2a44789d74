from typing import Literal

AvatarModelPublicStatus = Literal["canceled", "failed", "queued", "ready", "training"]

AVATAR_MODEL_PUBLIC_STATUS_VALUES: set[AvatarModelPublicStatus] = {
    "canceled",
    "failed",
    "queued",
    "ready",
    "training",
}


def check_avatar_model_public_status(value: str) -> AvatarModelPublicStatus:
    if value in AVATAR_MODEL_PUBLIC_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {AVATAR_MODEL_PUBLIC_STATUS_VALUES!r}")
