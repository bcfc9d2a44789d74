from typing import Literal

AvatarModelInSubjectClass = Literal["baby", "boy", "cat", "child", "dog", "girl", "man", "person", "woman"]

AVATAR_MODEL_IN_SUBJECT_CLASS_VALUES: set[AvatarModelInSubjectClass] = {
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


def check_avatar_model_in_subject_class(value: str) -> AvatarModelInSubjectClass:
    if value in AVATAR_MODEL_IN_SUBJECT_CLASS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {AVATAR_MODEL_IN_SUBJECT_CLASS_VALUES!r}")
