"""``POST /v1/attributes``: product attributes read off an image."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ContainerDep, TenantDep
from api.schemas.attributes import AttributesCreate, AttributesPublic
from api.schemas.common import problems
from api.services.attributes import extract_attributes

router = APIRouter(prefix="/attributes", tags=["attributes"])


@router.post("", responses=problems(400, 401, 413, 415, 422, 502, 503))
def create(body: AttributesCreate, tenant: TenantDep, container: ContainerDep) -> AttributesPublic:
    """Answer one question per attribute, all in one model call."""
    return extract_attributes(container, tenant, body)
