from typing import Literal

ComparedModelInType = Literal["bedrock", "openai", "sdxl", "try_on"]

COMPARED_MODEL_IN_TYPE_VALUES: set[ComparedModelInType] = {
    "bedrock",
    "openai",
    "sdxl",
    "try_on",
}


def check_compared_model_in_type(value: str) -> ComparedModelInType:
    if value in COMPARED_MODEL_IN_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {COMPARED_MODEL_IN_TYPE_VALUES!r}")
