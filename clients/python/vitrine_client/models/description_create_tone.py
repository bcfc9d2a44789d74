from typing import Literal

DescriptionCreateTone = Literal["casual", "elegant", "friendly", "luxury", "minimal", "playful", "professional"]

DESCRIPTION_CREATE_TONE_VALUES: set[DescriptionCreateTone] = {
    "casual",
    "elegant",
    "friendly",
    "luxury",
    "minimal",
    "playful",
    "professional",
}


def check_description_create_tone(value: str) -> DescriptionCreateTone:
    if value in DESCRIPTION_CREATE_TONE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DESCRIPTION_CREATE_TONE_VALUES!r}")
