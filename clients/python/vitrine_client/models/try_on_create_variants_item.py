from typing import Literal

TryOnCreateVariantsItem = Literal["card", "detail", "thumbnail"]

TRY_ON_CREATE_VARIANTS_ITEM_VALUES: set[TryOnCreateVariantsItem] = {
    "card",
    "detail",
    "thumbnail",
}


def check_try_on_create_variants_item(value: str) -> TryOnCreateVariantsItem:
    if value in TRY_ON_CREATE_VARIANTS_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TRY_ON_CREATE_VARIANTS_ITEM_VALUES!r}")
