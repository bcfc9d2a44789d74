from typing import Literal

AttributeBatchItemPublicStatus = Literal["failed", "succeeded"]

ATTRIBUTE_BATCH_ITEM_PUBLIC_STATUS_VALUES: set[AttributeBatchItemPublicStatus] = {
    "failed",
    "succeeded",
}


def check_attribute_batch_item_public_status(value: str) -> AttributeBatchItemPublicStatus:
    if value in ATTRIBUTE_BATCH_ITEM_PUBLIC_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ATTRIBUTE_BATCH_ITEM_PUBLIC_STATUS_VALUES!r}")
