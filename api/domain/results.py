"""What the synchronous use cases return; routers map these to response schemas.

The use cases import this module where they build a result, not at module level, so
the API Lambda's cold start does not build these dataclasses (issue 9, cold path).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from api.ports import ProductCopy, UploadTarget


@dataclass(frozen=True, slots=True)
class DeliveredImage:
    """An output image: a short-lived URL, or base64 when the client asked for it."""

    url: str | None = None
    base64: str | None = None


@dataclass(frozen=True, slots=True)
class Mask:
    prompt: str
    coverage: float
    image: DeliveredImage


@dataclass(frozen=True, slots=True)
class Segmentation:
    id: str
    width: int
    height: int
    masks: list[Mask]


@dataclass(frozen=True, slots=True)
class AttributeAnswer:
    value: str
    # A probability (see ``api/services/attributes.py``).
    confidence: float
    needs_review: bool
    # Constrained answers: every allowed value's normalised score.
    scores: dict[str, float] | None = None


@dataclass(frozen=True, slots=True)
class Attributes:
    answers: dict[str, AttributeAnswer]
    product_type: str
    model: str
    review_threshold: float | None = None
    # The stored taxonomy's name, ``"inline"``, or ``None`` (free answers).
    taxonomy: str | None = None
    model_id: str | None = None

    @property
    def confident(self) -> dict[str, str]:
        """Answers at or above the review threshold (all, without one), empty ones left out."""
        return {n: a.value for n, a in self.answers.items() if a.value and not a.needs_review}


@dataclass(frozen=True, slots=True)
class ProductDescription:
    attributes: Attributes
    copy: ProductCopy
    # Which attributes the copy was written from, and which were held back for review.
    used: list[str]
    held_back: list[str]


@dataclass(frozen=True, slots=True)
class Upload:
    upload_id: str
    target: UploadTarget
