from typing import Literal

TenantModelResultPublicKind = Literal["concept", "product", "style"]

TENANT_MODEL_RESULT_PUBLIC_KIND_VALUES: set[TenantModelResultPublicKind] = {
    "concept",
    "product",
    "style",
}


def check_tenant_model_result_public_kind(value: str) -> TenantModelResultPublicKind:
    if value in TENANT_MODEL_RESULT_PUBLIC_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TENANT_MODEL_RESULT_PUBLIC_KIND_VALUES!r}")
