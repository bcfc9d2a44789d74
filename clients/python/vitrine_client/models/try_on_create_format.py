from typing import Literal

TryOnCreateFormat = Literal["jpeg", "png", "webp"]

TRY_ON_CREATE_FORMAT_VALUES: set[TryOnCreateFormat] = {
    "jpeg",
    "png",
    "webp",
}


def check_try_on_create_format(value: str) -> TryOnCreateFormat:
    if value in TRY_ON_CREATE_FORMAT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TRY_ON_CREATE_FORMAT_VALUES!r}")
