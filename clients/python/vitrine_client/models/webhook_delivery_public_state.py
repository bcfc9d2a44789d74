from typing import Literal

WebhookDeliveryPublicState = Literal["delivered", "failed", "pending"]

WEBHOOK_DELIVERY_PUBLIC_STATE_VALUES: set[WebhookDeliveryPublicState] = {
    "delivered",
    "failed",
    "pending",
}


def check_webhook_delivery_public_state(value: str) -> WebhookDeliveryPublicState:
    if value in WEBHOOK_DELIVERY_PUBLIC_STATE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {WEBHOOK_DELIVERY_PUBLIC_STATE_VALUES!r}")
