from typing import Literal

TryOnCreateCategory = Literal["auto", "bottoms", "one-pieces", "tops"]

TRY_ON_CREATE_CATEGORY_VALUES: set[TryOnCreateCategory] = {
    "auto",
    "bottoms",
    "one-pieces",
    "tops",
}


def check_try_on_create_category(value: str) -> TryOnCreateCategory:
    if value in TRY_ON_CREATE_CATEGORY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TRY_ON_CREATE_CATEGORY_VALUES!r}")
