"""``POST /v1/uploads``: a short-lived PUT target for a large image."""

from fastapi import APIRouter

from api.deps import TenantDep, UploadsDep
from api.schemas.common import problems
from api.schemas.uploads import UploadCreate, UploadPublic, UploadTargetPublic

router = APIRouter(prefix="/uploads", tags=["uploads"])


@router.post(
    "", operation_id="createUpload", status_code=201, responses=problems(400, 401, 413, 422)
)
def create(body: UploadCreate, tenant: TenantDep, uploads: UploadsDep) -> UploadPublic:
    """Announce an image; PUT its bytes to the returned URL, then use the upload_id."""
    upload = uploads.create(tenant, content_type=body.content_type, size_bytes=body.size_bytes)
    target = upload.target
    return UploadPublic(
        upload_id=upload.upload_id,
        upload=UploadTargetPublic(
            url=target.url, method=target.method, headers=target.headers,
            expires_at=target.expires_at,
        ),
    )
