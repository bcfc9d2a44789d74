from typing import Literal

ModelPublicKind = Literal["avatar", "concept", "product", "style"]

MODEL_PUBLIC_KIND_VALUES: set[ModelPublicKind] = {
    "avatar",
    "concept",
    "product",
    "style",
}


def check_model_public_kind(value: str) -> ModelPublicKind:
    if value in MODEL_PUBLIC_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MODEL_PUBLIC_KIND_VALUES!r}")
