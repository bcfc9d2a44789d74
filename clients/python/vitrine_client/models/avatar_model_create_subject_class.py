from typing import Literal

AvatarModelCreateSubjectClass = Literal["baby", "boy", "cat", "child", "dog", "girl", "man", "person", "woman"]

AVATAR_MODEL_CREATE_SUBJECT_CLASS_VALUES: set[AvatarModelCreateSubjectClass] = {
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


def check_avatar_model_create_subject_class(value: str) -> AvatarModelCreateSubjectClass:
    if value in AVATAR_MODEL_CREATE_SUBJECT_CLASS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {AVATAR_MODEL_CREATE_SUBJECT_CLASS_VALUES!r}")
