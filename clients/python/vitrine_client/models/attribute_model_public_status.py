from typing import Literal

AttributeModelPublicStatus = Literal["canceled", "failed", "queued", "ready", "training"]

ATTRIBUTE_MODEL_PUBLIC_STATUS_VALUES: set[AttributeModelPublicStatus] = {
    "canceled",
    "failed",
    "queued",
    "ready",
    "training",
}


def check_attribute_model_public_status(value: str) -> AttributeModelPublicStatus:
    if value in ATTRIBUTE_MODEL_PUBLIC_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ATTRIBUTE_MODEL_PUBLIC_STATUS_VALUES!r}")
