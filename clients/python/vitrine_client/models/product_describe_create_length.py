from typing import Literal

ProductDescribeCreateLength = Literal["long", "medium", "short"]

PRODUCT_DESCRIBE_CREATE_LENGTH_VALUES: set[ProductDescribeCreateLength] = {
    "long",
    "medium",
    "short",
}


def check_product_describe_create_length(value: str) -> ProductDescribeCreateLength:
    if value in PRODUCT_DESCRIBE_CREATE_LENGTH_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PRODUCT_DESCRIBE_CREATE_LENGTH_VALUES!r}")
