from typing import Literal

TenantModelResultPublicAdapterType = Literal["lora", "textual_inversion"]

TENANT_MODEL_RESULT_PUBLIC_ADAPTER_TYPE_VALUES: set[TenantModelResultPublicAdapterType] = {
    "lora",
    "textual_inversion",
}


def check_tenant_model_result_public_adapter_type(value: str) -> TenantModelResultPublicAdapterType:
    if value in TENANT_MODEL_RESULT_PUBLIC_ADAPTER_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TENANT_MODEL_RESULT_PUBLIC_ADAPTER_TYPE_VALUES!r}")
