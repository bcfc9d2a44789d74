from typing import Literal

ProductDescribeCreateTone = Literal["casual", "elegant", "friendly", "luxury", "minimal", "playful", "professional"]

PRODUCT_DESCRIBE_CREATE_TONE_VALUES: set[ProductDescribeCreateTone] = {
    "casual",
    "elegant",
    "friendly",
    "luxury",
    "minimal",
    "playful",
    "professional",
}


def check_product_describe_create_tone(value: str) -> ProductDescribeCreateTone:
    if value in PRODUCT_DESCRIBE_CREATE_TONE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PRODUCT_DESCRIBE_CREATE_TONE_VALUES!r}")
