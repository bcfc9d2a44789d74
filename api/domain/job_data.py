"""Typed job data: one frozen model per job kind for its request, its internal state and
its result.

A job record stores both as JSON (``Job.request``, ``Job.internal``); the core reads
them back through these models (``JobKindEntry.request``/``state``), so no module
indexes a job's data by string key. Fields are the kind's own: add one here, never a
loose key somewhere else.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict


class JobData(BaseModel):
    """Frozen; unknown keys (a record written by an older version) are ignored.

    Built on first use (``defer_build``): a request reads or writes one or two kinds,
    and the API Lambda's cold start need not build the validators of all of them.
    """

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)

    @property
    def handed_off(self) -> bool:
        """Whether the work was handed to something that reports back (state only)."""
        return False


class NoState(JobData):
    """For kinds that keep nothing between execution and completion."""


class AsyncSubmission(JobData):
    """What the model runtime returned for an asynchronous inference.

    The core stores it in the job's state; an output arriving from elsewhere than
    ``output_location`` is refused, and a job with a submission is never submitted twice.
    """

    inference_id: str
    input_location: str | None = None
    output_location: str | None = None
    failure_location: str | None = None


class GenerationFields(JobData):
    negative_prompt: str | None = None
    n: int
    seed: int
    steps: int
    guidance_scale: float


class TryOnRequest(GenerationFields):
    image_key: str
    mask_key: str | None = None
    mask_prompt: str | None = None
    garment_prompt: str | None = None
    garment_key: str | None = None
    garment_strength: float = 0.7
    category: str = "auto"
    # Delivery (defaults: what a record written before these fields got).
    output_format: str = "png"
    quality: int = 90
    # Size variant name -> its long side, fixed when the job was asked for.
    variants: dict[str, int] = {}
    # A style model, resolved when the job was asked for: its adapter entry for the
    # container ({"key", "type", "weight", "token"}).
    style_model_id: str | None = None
    style_adapter: dict[str, Any] | None = None


class TryOnState(JobData):
    submission: AsyncSubmission | None = None

    @property
    def handed_off(self) -> bool:
        return self.submission is not None


class AvatarTrainingRequest(JobData):
    name: str
    subject_class: str
    token: str
    instance_prompt: str
    photo_prefix: str
    photo_count: int
    min_photo_side: int
    steps: int
    resolution: int
    rank: int
    seed: int

    @property
    def subject(self) -> str:
        return f"{self.token} {self.subject_class}"


class AttributeModelTrainingRequest(JobData):
    name: str
    # The uploads prefix holding ``train.csv`` and its images (train.py's train channel).
    data_prefix: str
    rows: int
    images: int
    attributes: list[str]
    taxonomy: str | None = None
    # Names the product in standard questions (as POST /v1/attributes will ask them).
    product_type: str | None = None
    steps: int
    epochs: int
    rank: int
    validation_fraction: float
    seed: int


class TenantModelTrainingRequest(JobData):
    """A style, product or concept model's training (one model per training job)."""

    name: str
    # The uploads prefix holding the images and ``metadata.jsonl`` (train.py's channel).
    data_prefix: str
    images: int
    token: str
    base: str
    steps: int
    resolution: int
    rank: int | None = None  # LoRA kinds
    seed: int
    class_name: str | None = None
    prior_preservation: bool = False
    initializer: str | None = None


class AttributeBatchRequest(JobData):
    upload_ids: list[str]
    product_type: str | None = None
    attributes: list[str] | None = None
    # The taxonomy as it was when the batch was asked (``TaxonomySpec.body()``), and its
    # name (``"inline"`` for one sent with the request).
    taxonomy: dict[str, Any] | None = None
    taxonomy_name: str | None = None
    review_threshold: float | None = None
    model_id: str | None = None


class AvatarGenerationRequest(GenerationFields):
    avatar_id: str
    prompt: str


class GenerationAdapter(JobData):
    """A tenant model applied to a generation, resolved when the job was asked for."""

    model_id: str
    kind: str  # product | concept
    key: str  # the adapter files' key under the adapters root (VITRINE_ADAPTERS_DIR/URI)
    type: str  # lora | textual_inversion
    weight: float = 1.0
    token: str | None = None


class GenerationRequest(GenerationFields):
    prompt: str
    variant: str = "base"  # base | turbo
    size: str = "square"
    adapters: list[GenerationAdapter] = []
    # ControlNet: the reference photo (stored input), the control type, its strength.
    control_key: str | None = None
    control_type: str | None = None
    control_strength: float = 0.8
    # img2img: the input photo and how far from it.
    image_key: str | None = None
    strength: float = 0.6


class GenerationState(JobData):
    submission: AsyncSubmission | None = None

    @property
    def handed_off(self) -> bool:
        return self.submission is not None


# --- results (stored as JSON; object keys, never URLs: the job view signs fresh URLs) ---
class StoredImage(JobData):
    key: str


class Withheld(JobData):
    """An output image moderation withheld: its index in the model's answer, and why."""

    index: int
    reasons: list[str]


class DeliveredVariant(JobData):
    """An output image in one size: the stored file, and its pixel size."""

    key: str
    width: int
    height: int


class TryOnImage(JobData):
    key: str
    width: int | None = None
    height: int | None = None
    # Size variant name (thumbnail, card, detail) -> the same image at that long side.
    variants: dict[str, DeliveredVariant] = {}


class TryOnResult(JobData):
    images: list[TryOnImage]
    # The blend weight the model's answer was pasted through (0 = the input pixel).
    mask: StoredImage
    seed: int | None = None
    withheld: list[Withheld]
    format: str = "png"
    width: int | None = None
    height: int | None = None


class AvatarTrainingResult(JobData):
    avatar_id: str
    target_model: str
    # The tenant-model contract (a succeeded training names kind, adapter prefix, token,
    # base); unset on records written before it.
    kind: str = "avatar"
    artifacts: str | None = None
    token: str | None = None
    base: str | None = None
    # ``avatar.json`` as the trainer wrote it (loss curve, adapter size, seconds),
    # NaN/infinity as null; shown as far as it is well-formed.
    metadata: dict[str, Any]
    # Set when the training ran as a SageMaker job.
    training_job: str | None = None
    model_artifacts: str | None = None


class TenantModelResult(JobData):
    """A trained tenant model: what serving needs to apply it (``kind``, the object
    prefix of its adapter files in artifacts, the token prompts name it by, its base)
    and the trainer's figures (``model.json``: loss curve, adapter size, seconds)."""

    model_id: str
    kind: str
    artifacts: str
    token: str | None = None
    base: str
    adapter_type: str  # "lora" | "textual_inversion"
    metadata: dict[str, Any]
    training_job: str | None = None
    model_artifacts: str | None = None


class AttributeModelTrainingResult(JobData):
    model_id: str
    # Exact-match accuracy on the held-out images, per attribute; ``overall``: all rows.
    accuracy: dict[str, float]
    overall_accuracy: float | None = None
    train_examples: int
    validation_examples: int
    validation_images: int
    steps: int
    training_job: str | None = None
    model_artifacts: str | None = None


class AttributeBatchItem(JobData):
    """One image's answers, or why it has none (a bad or missing upload)."""

    upload_id: str
    status: str  # "succeeded" | "failed"
    product_type: str | None = None
    attributes: dict[str, str] | None = None
    answers: dict[str, dict[str, Any]] | None = None
    needs_review: list[str] | None = None
    error: dict[str, str] | None = None


class AttributeBatchResult(JobData):
    items: list[AttributeBatchItem]
    succeeded: int
    failed: int
    # Images with at least one answer below the review threshold.
    needing_review: int
    taxonomy: str | None = None
    model_id: str | None = None


class AvatarGenerationResult(JobData):
    avatar_id: str
    images: list[StoredImage]
    seed: int | None = None
    withheld: list[Withheld]


class GeneratedImage(JobData):
    key: str
    width: int | None = None
    height: int | None = None


class GenerationResult(JobData):
    images: list[GeneratedImage]
    seed: int | None = None
    withheld: list[Withheld]
    width: int | None = None
    height: int | None = None
    # The ControlNet input computed from the reference photo (edges or depth).
    control_image: StoredImage | None = None
    adapters: list[str] = []  # the model ids applied


def stored(result: JobData) -> dict[str, Any]:
    """A result as the job record stores it (unset optional fields left out)."""
    return result.model_dump(mode="json", exclude_none=True)


# --- model comparisons (issue 12) ---
class ComparisonPrompt(JobData):
    """One row of a comparison as asked: the prompt, its optional photos (stored inputs,
    uploads keys), and, for a row moderation blocked, why (the row is not generated)."""

    prompt: str
    negative_prompt: str | None = None
    reference_key: str | None = None
    person_key: str | None = None
    blocked: list[str] | None = None


class ComparisonRequest(JobData):
    """A comparison as asked: its rows, its models as the run's spec names them (spec.json
    ``models[]`` entries: adapters resolved to keys, prices from the price table), the
    shared sampling options, and where the run's spec and inputs are stored."""

    prompts: list[ComparisonPrompt]
    models: list[dict[str, Any]]
    seed: int
    steps: int
    guidance: float
    size: str = "square"
    # The uploads prefix of spec.json and its input photos (the run's ``train`` channel).
    spec_prefix: str
    # Where the prices came from (the settings' list prices and their date).
    prices_as_of: str | None = None


class ComparisonCell(JobData):
    """One image of the grid (prompt row x model column) with its figures, or why not."""

    prompt: int
    model: str
    status: str  # succeeded | failed | skipped | blocked
    image: StoredImage | None = None
    seed: int | None = None
    clip_score: float | None = None
    model_seconds: float | None = None
    wall_seconds: float | None = None
    cost_usd: float | None = None
    moderation: str = "not_checked"
    error: str | None = None


class ComparisonResult(JobData):
    """report.json as the run wrote it, row indexes those of the request (blocked rows
    added), image paths as stored keys (the job view signs URLs), plus the contact sheet when
    the run drew one. ``summary[].human_win_rate`` is filled from
    the ratings when the comparison is read."""

    version: int = 1
    tiny_models: bool | None = None
    seed: int | None = None
    scorer: dict[str, Any] = {}
    prompts: list[dict[str, Any]]
    models: list[dict[str, Any]]
    cells: list[ComparisonCell]
    summary: list[dict[str, Any]]
    ratings: dict[str, Any] = {}
    contact_sheet: StoredImage | None = None
    training_job: str | None = None
