from typing import Literal

ModelPublicStatus = Literal["canceled", "failed", "queued", "ready", "training"]

MODEL_PUBLIC_STATUS_VALUES: set[ModelPublicStatus] = {
    "canceled",
    "failed",
    "queued",
    "ready",
    "training",
}


def check_model_public_status(value: str) -> ModelPublicStatus:
    if value in MODEL_PUBLIC_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MODEL_PUBLIC_STATUS_VALUES!r}")
