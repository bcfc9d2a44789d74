from typing import Literal

ComparisonCreateSize = Literal["landscape", "portrait", "square"]

COMPARISON_CREATE_SIZE_VALUES: set[ComparisonCreateSize] = {
    "landscape",
    "portrait",
    "square",
}


def check_comparison_create_size(value: str) -> ComparisonCreateSize:
    if value in COMPARISON_CREATE_SIZE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {COMPARISON_CREATE_SIZE_VALUES!r}")
