from typing import Literal

ComparedModelInVariant = Literal["base", "turbo"]

COMPARED_MODEL_IN_VARIANT_VALUES: set[ComparedModelInVariant] = {
    "base",
    "turbo",
}


def check_compared_model_in_variant(value: str) -> ComparedModelInVariant:
    if value in COMPARED_MODEL_IN_VARIANT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {COMPARED_MODEL_IN_VARIANT_VALUES!r}")
