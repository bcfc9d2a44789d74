from typing import Literal

GenerationCreateVariant = Literal["base", "turbo"]

GENERATION_CREATE_VARIANT_VALUES: set[GenerationCreateVariant] = {
    "base",
    "turbo",
}


def check_generation_create_variant(value: str) -> GenerationCreateVariant:
    if value in GENERATION_CREATE_VARIANT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GENERATION_CREATE_VARIANT_VALUES!r}")
