from typing import Literal

ControlSpecInType = Literal["canny", "depth"]

CONTROL_SPEC_IN_TYPE_VALUES: set[ControlSpecInType] = {
    "canny",
    "depth",
}


def check_control_spec_in_type(value: str) -> ControlSpecInType:
    if value in CONTROL_SPEC_IN_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONTROL_SPEC_IN_TYPE_VALUES!r}")
