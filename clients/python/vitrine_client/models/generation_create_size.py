from typing import Literal

GenerationCreateSize = Literal["landscape", "portrait", "square"]

GENERATION_CREATE_SIZE_VALUES: set[GenerationCreateSize] = {
    "landscape",
    "portrait",
    "square",
}


def check_generation_create_size(value: str) -> GenerationCreateSize:
    if value in GENERATION_CREATE_SIZE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GENERATION_CREATE_SIZE_VALUES!r}")
