from typing import Literal

DescriptionCreateLength = Literal["long", "medium", "short"]

DESCRIPTION_CREATE_LENGTH_VALUES: set[DescriptionCreateLength] = {
    "long",
    "medium",
    "short",
}


def check_description_create_length(value: str) -> DescriptionCreateLength:
    if value in DESCRIPTION_CREATE_LENGTH_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DESCRIPTION_CREATE_LENGTH_VALUES!r}")
