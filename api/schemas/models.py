"""Tenant models: one resource family (``/v1/models``) with a ``kind``.

``avatar`` (DreamBooth-LoRA on a subject's photos, as ``/v1/avatar-models``), ``style``
(DreamBooth-LoRA on the inpainting base: try-ons in a style class), ``product`` (LoRA on
SDXL from captioned catalog images), ``concept`` (textual inversion on SDXL: a token).
"""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from api.schemas.avatars import AvatarModelCreate
from api.schemas.common import ImageIn, JobErrorPublic

if TYPE_CHECKING:
    from api.domain.commands import TenantModelCommand

ModelKind = Literal["avatar", "style", "product", "concept"]
ModelStatus = Literal["queued", "training", "ready", "failed", "canceled"]
ModelName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Caption = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]
# Words that go into a training prompt: lowercase letters only, no prompt injection.
Noun = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z -]{0,39}$")]
MAX_IMAGES_PARSED = 1000


class CaptionedImageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    image: ImageIn
    caption: Caption = Field(
        description="What the image shows: design, pattern, colour, fabric "
        "(e.g. 'a long floral chiffon summer skirt, pastel blue')."
    )


class _CaptionedModelCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ModelName
    images: list[CaptionedImageIn] | None = Field(
        default=None, max_length=MAX_IMAGES_PARSED, description="Images with their captions."
    )
    csv: str | None = Field(
        default=None,
        max_length=2_000_000,
        description="CSV text with a header: image (upload ids) and caption.",
        examples=["image,caption\nupl_abc,a white linen shirt with a mandarin collar\n"],
    )
    jsonl: str | None = Field(
        default=None,
        max_length=2_000_000,
        description='JSON lines: {"image": "<upload id>", "caption": "..."}.',
    )
    callback_url: str | None = Field(
        default=None, description="HTTPS URL that receives a signed POST when training ends."
    )

    @model_validator(mode="after")
    def _one_source(self) -> "_CaptionedModelCreate":
        given = [x for x in (self.images, self.csv, self.jsonl) if x is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of 'images', 'csv' or 'jsonl'")
        return self

    def _command(self, kind: Literal["style", "product", "concept"], **extra: Any) -> (
        "TenantModelCommand"
    ):
        from api.domain.commands import CaptionedImage, TenantModelCommand

        return TenantModelCommand(
            kind=kind,
            name=self.name,
            images=tuple(
                CaptionedImage(image=i.image.source(), caption=i.caption) for i in self.images or ()
            ),
            csv=self.csv,
            jsonl=self.jsonl,
            callback_url=self.callback_url,
            **extra,
        )


class StyleModelCreate(_CaptionedModelCreate):
    """A style class for try-ons (DreamBooth-LoRA on the inpainting base)."""

    kind: Literal["style"]
    class_name: Noun = Field(
        default="garment", description="The style class's noun, e.g. 'skirt' (class prompt)."
    )
    token: str | None = Field(
        default=None, description="The rare word captions name the style by (default 'sks')."
    )
    prior_preservation: bool = Field(
        default=False,
        description="Also train on class images the base generates (the blog's recipe).",
    )

    def command(self) -> "TenantModelCommand":
        return self._command("style", token=self.token, class_name=self.class_name,
                             prior_preservation=self.prior_preservation)  # fmt: skip


class ProductModelCreate(_CaptionedModelCreate):
    """A catalog LoRA on SDXL."""

    kind: Literal["product"]
    token: str | None = Field(
        default=None, description="A rare word prepended to captions (default 'vtrprod')."
    )

    def command(self) -> "TenantModelCommand":
        return self._command("product", token=self.token)


class ConceptModelCreate(_CaptionedModelCreate):
    """A concept token on SDXL (textual inversion)."""

    kind: Literal["concept"]
    token: str | None = Field(
        default=None,
        description="The new token, '<lowercase-words>' (default '<vitrine-concept>').",
        examples=["<denim-wash>"],
    )
    initializer: Noun | None = Field(
        default=None, description="A word the token starts from, e.g. 'jeans'."
    )

    def command(self) -> "TenantModelCommand":
        return self._command("concept", token=self.token, initializer=self.initializer)


class AvatarModelIn(AvatarModelCreate):
    """An avatar (the same body as POST /v1/avatar-models, with ``kind``)."""

    kind: Literal["avatar"]


ModelCreate = Annotated[
    AvatarModelIn | StyleModelCreate | ProductModelCreate | ConceptModelCreate,
    Field(discriminator="kind"),
]
MODEL_CREATE_EXAMPLES = {
    "style": {
        "summary": "A style class for try-ons",
        "value": {
            "kind": "style",
            "name": "casual long summer skirts",
            "class_name": "skirt",
            "images": [
                {"image": {"upload_id": "upl_skirt01"},
                 "caption": "a long floral chiffon summer skirt, pastel blue"},
            ],
        },
    },
    "product": {
        "summary": "A catalog LoRA from a CSV",
        "value": {"kind": "product", "name": "spring catalog",
                  "csv": "image,caption\nupl_abc,a white linen shirt with a mandarin collar\n"},
    },
    "concept": {
        "summary": "A concept token",
        "value": {"kind": "concept", "name": "our denim wash", "token": "<denim-wash>",
                  "initializer": "jeans",
                  "jsonl": '{"image": "upl_abc", "caption": "<denim-wash> jeans, front"}\n'},
    },
    "avatar": {
        "summary": "An avatar",
        "value": {"kind": "avatar", "name": "Ana", "subject_class": "woman",
                  "photos": [{"upload_id": f"upl_photo{i:02d}"} for i in range(10)]},
    },
}  # fmt: skip


class TenantModelResultPublic(BaseModel):
    """A trained style, product or concept model: how prompts and requests use it."""

    model_id: str
    kind: Literal["style", "product", "concept"]
    token: str | None = Field(default=None, description="The word prompts name it by.")
    base: str = Field(description="The base model the adapter applies to.")
    adapter_type: Literal["lora", "textual_inversion"]
    artifacts: str = Field(description="Where the adapter files are (artifacts object prefix).")
    metadata: dict[str, Any] = Field(
        description="The trainer's model.json: base, token, steps, loss curve, seconds, "
        "adapter bytes."
    )
    training_job: str | None = Field(default=None, description="The SageMaker training job.")
    model_artifacts: str | None = None


class ModelTrainingPublic(BaseModel):
    """How the model is (being) trained; the figures arrive once training ends."""

    steps: int
    resolution: int
    rank: int | None = Field(default=None, description="LoRA rank (LoRA kinds).")
    loss_curve: list[float] | None = None
    final_loss: float | None = None
    adapter_bytes: int | None = None
    seconds: float | None = None


class ModelPublic(BaseModel):
    id: str
    kind: ModelKind
    name: str
    status: ModelStatus
    token: str | None = Field(description="The word prompts name the model by.")
    base: str | None = Field(description="The base model it adapts.")
    images: int = Field(description="Training images (an avatar's photos).")
    training: ModelTrainingPublic
    error: JobErrorPublic | None = None
    created_at: datetime
    updated_at: datetime
    links: dict[str, str] = Field(
        description="'self'; 'job': the training job; avatars: 'generations'."
    )


class ModelsPublic(BaseModel):
    data: list[ModelPublic]
    count: int
