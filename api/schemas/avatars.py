"""Avatar models: a subject learned from 10-15 photos (DreamBooth-LoRA), then generated."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.schemas.common import ImageIn, JobErrorPublic, ResultImage, WithheldImage
from api.schemas.generation import GenerationOptions

if TYPE_CHECKING:
    from api.domain.commands import AvatarCommand, AvatarGenerationCommand

# The class noun goes into the training prompt ("a photo of sks woman"): a closed set of
# words the base model knows well, so a client cannot inject prompt text through it.
SubjectClass = Literal["person", "woman", "man", "boy", "girl", "child", "baby", "dog", "cat"]
AvatarStatus = Literal["queued", "training", "ready", "failed", "canceled"]
AvatarName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
# A hard bound on what is parsed at all; the deployment's range is checked by the service.
MAX_PHOTOS_PARSED = 50


class AvatarModelCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Ana, spring shoot",
                    "subject_class": "woman",
                    "photos": [{"upload_id": f"upl_photo{i:02d}"} for i in range(10)],
                }
            ]
        },
    )

    name: AvatarName = Field(description="A label for the avatar, e.g. 'Ana, spring shoot'.")
    subject_class: SubjectClass = Field(description="What the photos show.")
    photos: list[ImageIn] = Field(
        max_length=MAX_PHOTOS_PARSED,
        description="10-15 photos of the subject (deployment range applies): varied poses, "
        "backgrounds and light; large photos go through POST /v1/uploads.",
    )
    callback_url: str | None = Field(
        default=None, description="HTTPS URL that receives a signed POST when training ends."
    )

    def command(self) -> "AvatarCommand":
        from api.domain.commands import AvatarCommand

        return AvatarCommand(
            name=self.name,
            subject_class=self.subject_class,
            photos=tuple(photo.source() for photo in self.photos),
            callback_url=self.callback_url,
        )


class AvatarTrainingPublic(BaseModel):
    """How the avatar is (being) trained; the loss figures arrive once training ends."""

    steps: int
    resolution: int
    rank: int = Field(description="LoRA rank.")
    loss_curve: list[float] | None = None
    final_loss: float | None = None
    adapter_bytes: int | None = Field(default=None, description="Size of the LoRA adapter.")
    seconds: float | None = Field(default=None, description="Training wall time.")


class AvatarModelPublic(BaseModel):
    id: str
    name: str
    subject_class: SubjectClass
    token: str = Field(description="The rare token that names the subject in prompts.")
    subject: str = Field(description="Write this in generation prompts, e.g. 'sks woman'.")
    status: AvatarStatus
    photo_count: int
    training: AvatarTrainingPublic
    error: JobErrorPublic | None = None
    created_at: datetime
    updated_at: datetime
    links: dict[str, str] = Field(
        description="'self'; 'job': the training job; 'generations': where to POST prompts."
    )


class AvatarModelsPublic(BaseModel):
    data: list[AvatarModelPublic]
    count: int


class AvatarGenerationCreate(GenerationOptions):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"prompt": "sks woman in a linen summer dress on a beach", "n": 2}]
        }
    )

    prompt: str = Field(
        description="What to picture; the avatar's subject is prepended when not mentioned."
    )

    def command(self) -> "AvatarGenerationCommand":
        from api.domain.commands import AvatarGenerationCommand

        return AvatarGenerationCommand(prompt=self.prompt, options=self.generation_input())


class AvatarTrainingResult(BaseModel):
    """A finished avatar training: where its adapter is served, the trainer's figures."""

    avatar_id: str
    target_model: str = Field(description="The adapter's name on the avatar endpoint.")
    metadata: dict[str, Any] = Field(
        description="What the trainer reported (loss curve, adapter size, seconds)."
    )
    training_job: str | None = Field(default=None, description="The SageMaker training job.")
    model_artifacts: str | None = None
    kind: Literal["avatar"] = "avatar"
    artifacts: str | None = Field(
        default=None, description="Where the adapter files are (artifacts object prefix)."
    )
    token: str | None = Field(default=None, description="The word prompts name it by.")
    base: str | None = Field(default=None, description="The base model it adapts.")


class AvatarGenerationResult(BaseModel):
    """Images of an avatar."""

    avatar_id: str
    images: list[ResultImage]
    seed: int | None = None
    withheld: list[WithheldImage]
