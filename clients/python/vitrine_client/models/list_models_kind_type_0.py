from typing import Literal

ListModelsKindType0 = Literal["avatar", "concept", "product", "style"]

LIST_MODELS_KIND_TYPE_0_VALUES: set[ListModelsKindType0] = {
    "avatar",
    "concept",
    "product",
    "style",
}


def check_list_models_kind_type_0(value: str) -> ListModelsKindType0:
    if value in LIST_MODELS_KIND_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_MODELS_KIND_TYPE_0_VALUES!r}")
