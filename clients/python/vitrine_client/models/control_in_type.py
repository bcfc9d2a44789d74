from typing import Literal

ControlInType = Literal["canny", "depth"]

CONTROL_IN_TYPE_VALUES: set[ControlInType] = {
    "canny",
    "depth",
}


def check_control_in_type(value: str) -> ControlInType:
    if value in CONTROL_IN_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONTROL_IN_TYPE_VALUES!r}")
