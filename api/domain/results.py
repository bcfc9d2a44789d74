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
class Attributes:
    attributes: dict[str, str]
    product_type: str
    model: str


@dataclass(frozen=True, slots=True)
class ProductDescription:
    attributes: Attributes
    copy: ProductCopy


@dataclass(frozen=True, slots=True)
class Upload:
    upload_id: str
    target: UploadTarget
