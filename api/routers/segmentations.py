"""``POST /v1/segmentations``: text-prompted masks of an image."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ContainerDep, TenantDep
from api.schemas.common import problems
from api.schemas.segmentations import SegmentationCreate, SegmentationPublic
from api.services.segmentation import segment

router = APIRouter(prefix="/segmentations", tags=["segmentations"])


@router.post(
    "", response_model_exclude_none=True, responses=problems(400, 401, 413, 415, 422, 502, 503)
)
def create(
    body: SegmentationCreate, tenant: TenantDep, container: ContainerDep
) -> SegmentationPublic:
    """Segment the image once per prompt (one model call)."""
    return segment(container, tenant, body)
