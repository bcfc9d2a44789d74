"""What a client asks for, as the use cases take it (routers build these from schemas).

Plain frozen dataclasses: the HTTP schemas (``api/schemas``) stay the HTTP layer's, and
the services never see them. The schemas import this module in the methods that build a
command, not at module level: building a frozen dataclass costs about half a millisecond,
and the API Lambda's cold start needs none of these (issue 9, cold path).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from api.domain.taxonomies import TaxonomySpec

ResponseFormat = Literal["url", "base64"]
# The garment categories hosted try-on APIs use; "auto" reads the garment's words.
GarmentCategory = Literal["auto", "tops", "bottoms", "one-pieces"]
ImageFormat = Literal["png", "jpeg", "webp"]
SizeVariant = Literal["thumbnail", "card", "detail"]
ControlType = Literal["canny", "depth"]
GenerationVariant = Literal["base", "turbo"]
SizePreset = Literal["square", "portrait", "landscape"]


@dataclass(frozen=True, slots=True)
class ImageSource:
    """An image a request names: inline base64, or an upload id (exactly one)."""

    base64: str | None = None
    upload_id: str | None = None


@dataclass(frozen=True, slots=True)
class GenerationInput:
    """Options every image-generating job takes (checked against the settings)."""

    n: int = 1
    seed: int | None = None
    steps: int | None = None
    guidance_scale: float = 7.5
    negative_prompt: str | None = None
    callback_url: str | None = None


@dataclass(frozen=True, slots=True)
class OutputOptions:
    """How a job's images are delivered: file format, quality, extra sizes."""

    format: ImageFormat = "png"
    quality: int = 90  # jpeg and webp
    variants: tuple[SizeVariant, ...] = ()


@dataclass(frozen=True, slots=True)
class AdapterUse:
    """A tenant model applied to a generation, at a weight."""

    model_id: str
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class ControlInput:
    """ControlNet: a reference photo whose edges (canny) or depth guide the layout."""

    image: ImageSource
    type: ControlType = "canny"
    strength: float = 0.8


@dataclass(frozen=True, slots=True)
class GenerationCommand:
    """Text-to-image on the SDXL base (or turbo), with tenant adapters, a control photo
    (ControlNet) or an input photo (img2img)."""

    prompt: str
    options: GenerationInput
    variant: GenerationVariant = "base"
    size: SizePreset = "square"
    adapters: tuple[AdapterUse, ...] = ()
    control: ControlInput | None = None
    image: ImageSource | None = None
    strength: float = 0.6


@dataclass(frozen=True, slots=True)
class TryOnCommand:
    """A try-on: a garment described (``garment_prompt``), photographed
    (``garment_image``), or both."""

    image: ImageSource
    options: GenerationInput
    garment_prompt: str | None = None
    garment_image: ImageSource | None = None
    garment_strength: float = 0.7
    category: GarmentCategory = "auto"
    mask_prompt: str | None = None
    mask: ImageSource | None = None
    output: OutputOptions = OutputOptions()
    # A tenant's style model (LoRA on the inpainting base), and how strongly it applies.
    style_model_id: str | None = None
    style_weight: float = 1.0


@dataclass(frozen=True, slots=True)
class AvatarCommand:
    name: str
    subject_class: str
    photos: tuple[ImageSource, ...]
    callback_url: str | None = None


@dataclass(frozen=True, slots=True)
class AvatarGenerationCommand:
    prompt: str
    options: GenerationInput


@dataclass(frozen=True, slots=True)
class SegmentationCommand:
    image: ImageSource
    prompts: tuple[str, ...]
    threshold: float | None = None
    response_format: ResponseFormat = "url"


@dataclass(frozen=True, slots=True)
class AttributesCommand:
    image: ImageSource
    product_type: str | None = None
    attributes: tuple[str, ...] | None = None
    # A stored taxonomy's name, or one given inline.
    taxonomy: str | TaxonomySpec | None = None
    review_threshold: float | None = None
    model_id: str | None = None  # a fine-tuned attribute model


@dataclass(frozen=True, slots=True)
class CopyStyle:
    tone: str = "friendly"
    language: str = "en"
    length: str = "medium"
    brand: str | None = None


@dataclass(frozen=True, slots=True)
class RawRow:
    """A labelled training row as the client wrote it (blank cells as ``None``)."""

    image: str  # an upload id
    answer: str
    question: str | None = None
    attribute: str | None = None


@dataclass(frozen=True, slots=True)
class AttributeModelCommand:
    """Train an attribute model on labelled rows: a CSV's text, or rows (exactly one)."""

    name: str
    csv: str | None = None
    rows: tuple[RawRow, ...] = ()
    taxonomy: str | None = None
    product_type: str | None = None
    callback_url: str | None = None


@dataclass(frozen=True, slots=True)
class AttributeBatchCommand:
    """``POST /v1/attribute-jobs``: the same questions about many uploaded images."""

    upload_ids: tuple[str, ...]
    product_type: str | None = None
    attributes: tuple[str, ...] | None = None
    taxonomy: str | TaxonomySpec | None = None
    review_threshold: float | None = None
    model_id: str | None = None
    callback_url: str | None = None


@dataclass(frozen=True, slots=True)
class CaptionedImage:
    image: ImageSource
    caption: str


@dataclass(frozen=True, slots=True)
class TenantModelCommand:
    """A style, product or concept model to train on captioned images (``images``, or
    ``csv``/``jsonl`` text naming upload ids with their captions)."""

    kind: Literal["style", "product", "concept"]
    name: str
    images: tuple[CaptionedImage, ...] = ()
    csv: str | None = None
    jsonl: str | None = None
    token: str | None = None
    class_name: str | None = None  # style: the class noun (prior preservation prompt)
    prior_preservation: bool = False  # style
    initializer: str | None = None  # concept: the word the token starts from
    callback_url: str | None = None


ComparedType = Literal["sdxl", "try_on", "bedrock", "openai"]


@dataclass(frozen=True, slots=True)
class ComparedPrompt:
    """A row of a comparison: the prompt and, optionally, a reference photo (ControlNet)
    and a person photo (try-on)."""

    prompt: str
    negative_prompt: str | None = None
    reference_image: str | None = None  # upload id
    person_image: str | None = None  # upload id


@dataclass(frozen=True, slots=True)
class ComparedModel:
    """A column of a comparison: one model configuration."""

    name: str
    type: ComparedType
    variant: GenerationVariant = "base"
    adapters: tuple[AdapterUse, ...] = ()
    control_type: ControlType | None = None
    control_strength: float = 0.8
    style_model_id: str | None = None
    model_id: str | None = None  # bedrock
    model: str | None = None  # openai


@dataclass(frozen=True, slots=True)
class ComparisonCommand:
    """``POST /v1/comparisons``: prompts (inline, or an uploaded CSV/JSONL) x models."""

    models: tuple[ComparedModel, ...]
    prompts: tuple[ComparedPrompt, ...] = ()
    prompts_upload: str | None = None
    seed: int | None = None
    steps: int | None = None
    guidance: float = 7.0
    size: SizePreset = "square"
    callback_url: str | None = None


@dataclass(frozen=True, slots=True)
class RatingCommand:
    """A rater's best model per prompt (``(prompt index, model name)`` pairs)."""

    rater: str
    picks: tuple[tuple[int, str], ...]
