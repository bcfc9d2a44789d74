from typing import Literal

TryOnResultFormat = Literal["jpeg", "png", "webp"]

TRY_ON_RESULT_FORMAT_VALUES: set[TryOnResultFormat] = {
    "jpeg",
    "png",
    "webp",
}


def check_try_on_result_format(value: str) -> TryOnResultFormat:
    if value in TRY_ON_RESULT_FORMAT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TRY_ON_RESULT_FORMAT_VALUES!r}")
