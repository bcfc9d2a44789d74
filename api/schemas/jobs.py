"""Jobs: the public view of long-running work, one shape per job kind.

``JobPublic`` is a union discriminated by ``kind``: each kind's ``result`` is typed by
the result model its resource's schema module defines (``TryOnResult``, ...).
"""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from api.domain.jobs import JobKind, JobStatus
from api.schemas.attributes import AttributeBatchResult, AttributeModelResult
from api.schemas.avatars import AvatarGenerationResult, AvatarTrainingResult
from api.schemas.common import JobErrorPublic
from api.schemas.comparisons import ComparisonResultPublic
from api.schemas.generations import GenerationResult
from api.schemas.models import TenantModelResultPublic
from api.schemas.try_ons import TryOnResult

__all__ = ["JOB_VIEWS", "JobErrorPublic", "JobProgressPublic", "JobPublic", "JobView"]


class WebhookDeliveryPublic(BaseModel):
    """Where the job's webhook (to its ``callback_url``) stands."""

    state: Literal["pending", "delivered", "failed"] = Field(
        description="pending: being sent or retried; delivered: a 2xx answer; failed: given up."
    )
    attempts: int
    last_attempt_at: datetime | None = None
    last_error: str | None = Field(
        default=None, description="The last failed attempt's outcome (e.g. 'HTTP 503')."
    )


class JobProgressPublic(BaseModel):
    """How far a job has come: a stage, and where the model reports it, units done."""

    stage: str = Field(
        description="e.g. 'queued', 'submitted' (handed to the model), 'running', 'training', "
        "'storing'."
    )
    done: int | None = Field(default=None, description="Units done, e.g. diffusion steps.")
    total: int | None = Field(default=None, description="Units in all.")
    unit: str | None = Field(default=None, description="e.g. 'steps'.")
    updated_at: datetime


class JobView(BaseModel):
    id: str
    status: JobStatus
    created_at: datetime
    updated_at: datetime
    progress: JobProgressPublic | None = Field(
        default=None, description="Set while the job is queued or running."
    )
    error: JobErrorPublic | None = None
    webhook: WebhookDeliveryPublic | None = Field(
        default=None, description="Set once a job with a callback_url has ended."
    )
    links: dict[str, str] = Field(description="'self': where to poll this job.")


class TryOnJob(JobView):
    """A try-on job; ``result`` is set once it succeeded (image URLs are short-lived)."""

    kind: Literal[JobKind.TRY_ON]
    result: TryOnResult | None = None


class AvatarTrainingJob(JobView):
    """An avatar's training job; ``result`` is set once it succeeded."""

    kind: Literal[JobKind.AVATAR_TRAINING]
    result: AvatarTrainingResult | None = None


class AvatarGenerationJob(JobView):
    """Images of an avatar; ``result`` is set once it succeeded (URLs are short-lived)."""

    kind: Literal[JobKind.AVATAR_GENERATION]
    result: AvatarGenerationResult | None = None


class AttributeModelTrainingJob(JobView):
    """An attribute model's training job; ``result`` is set once it succeeded."""

    kind: Literal[JobKind.ATTRIBUTE_MODEL_TRAINING]
    result: AttributeModelResult | None = None


class AttributeBatchJob(JobView):
    """Attributes of many images; ``result`` is set once it ended (per-image lines)."""

    kind: Literal[JobKind.ATTRIBUTE_BATCH]
    result: AttributeBatchResult | None = None


class StyleTrainingJob(JobView):
    """A style model's training job; ``result`` is set once it succeeded."""

    kind: Literal[JobKind.STYLE_TRAINING]
    result: TenantModelResultPublic | None = None


class ProductTrainingJob(JobView):
    """A product model's training job; ``result`` is set once it succeeded."""

    kind: Literal[JobKind.PRODUCT_TRAINING]
    result: TenantModelResultPublic | None = None


class ConceptTrainingJob(JobView):
    """A concept model's training job; ``result`` is set once it succeeded."""

    kind: Literal[JobKind.CONCEPT_TRAINING]
    result: TenantModelResultPublic | None = None


class GenerationJob(JobView):
    """An image generation; ``result`` is set once it succeeded (URLs are short-lived)."""

    kind: Literal[JobKind.GENERATION]
    result: GenerationResult | None = None


class ComparisonJob(JobView):
    """A model comparison; ``result`` (the scored grid, image URLs short-lived) is set once
    it succeeded; ``progress`` counts images while it runs."""

    kind: Literal[JobKind.COMPARISON]
    result: ComparisonResultPublic | None = None


JobPublic = Annotated[
    TryOnJob
    | AvatarTrainingJob
    | AvatarGenerationJob
    | AttributeModelTrainingJob
    | AttributeBatchJob
    | StyleTrainingJob
    | ProductTrainingJob
    | ConceptTrainingJob
    | GenerationJob
    | ComparisonJob,
    Field(discriminator="kind"),
]
# The view of each kind (a new job kind adds its entry).
JOB_VIEWS: dict[JobKind, type[JobView]] = {
    JobKind.TRY_ON: TryOnJob,
    JobKind.AVATAR_TRAINING: AvatarTrainingJob,
    JobKind.AVATAR_GENERATION: AvatarGenerationJob,
    JobKind.ATTRIBUTE_MODEL_TRAINING: AttributeModelTrainingJob,
    JobKind.ATTRIBUTE_BATCH: AttributeBatchJob,
    JobKind.STYLE_TRAINING: StyleTrainingJob,
    JobKind.PRODUCT_TRAINING: ProductTrainingJob,
    JobKind.CONCEPT_TRAINING: ConceptTrainingJob,
    JobKind.GENERATION: GenerationJob,
    JobKind.COMPARISON: ComparisonJob,
}
