"""``POST /v1/segmentations``: text-prompted masks of an image."""

from fastapi import APIRouter

from api.deps import SegmentDep, TenantDep
from api.schemas.common import problems
from api.schemas.segmentations import MaskPublic, SegmentationCreate, SegmentationPublic

router = APIRouter(prefix="/segmentations", tags=["segmentations"])


@router.post(
    "",
    operation_id="createSegmentation",
    response_model_exclude_none=True, responses=problems(400, 401, 413, 415, 422, 502, 503)
)
def create(body: SegmentationCreate, tenant: TenantDep, segment: SegmentDep) -> SegmentationPublic:
    """Segment the image once per prompt (one model call)."""
    found = segment(tenant, body.command())
    return SegmentationPublic(
        id=found.id,
        width=found.width,
        height=found.height,
        masks=[
            MaskPublic(
                prompt=m.prompt, coverage=m.coverage, url=m.image.url, base64=m.image.base64
            )
            for m in found.masks
        ],
    )
