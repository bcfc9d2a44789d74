from typing import Literal

AvatarModelPublicSubjectClass = Literal["baby", "boy", "cat", "child", "dog", "girl", "man", "person", "woman"]

AVATAR_MODEL_PUBLIC_SUBJECT_CLASS_VALUES: set[AvatarModelPublicSubjectClass] = {
    "baby",
    "boy",
    "cat",
    "child",
    "dog",
    "girl",
    "man",
    "person",
    "woman",
}


def check_avatar_model_public_subject_class(value: str) -> AvatarModelPublicSubjectClass:
    if value in AVATAR_MODEL_PUBLIC_SUBJECT_CLASS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {AVATAR_MODEL_PUBLIC_SUBJECT_CLASS_VALUES!r}")
