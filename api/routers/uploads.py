"""``POST /v1/uploads``: a short-lived PUT target for a large image."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ContainerDep, TenantDep
from api.schemas.common import problems
from api.schemas.uploads import UploadCreate, UploadPublic
from api.services.uploads import create_upload

router = APIRouter(prefix="/uploads", tags=["uploads"])


@router.post("", status_code=201, responses=problems(401, 413, 422))
def create(body: UploadCreate, tenant: TenantDep, container: ContainerDep) -> UploadPublic:
    """Announce an image; PUT its bytes to the returned URL, then use the upload_id."""
    return create_upload(
        container, tenant, content_type=body.content_type, size_bytes=body.size_bytes
    )
