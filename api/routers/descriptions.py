"""``POST /v1/descriptions``: product copy from attributes."""

from fastapi import APIRouter

from api.deps import DescribeDep, TenantDep
from api.ports import ProductCopy
from api.schemas.common import problems
from api.schemas.descriptions import DescriptionCreate, DescriptionPublic

router = APIRouter(prefix="/descriptions", tags=["descriptions"])


def copy_public(copy: ProductCopy) -> DescriptionPublic:
    return DescriptionPublic(
        title=copy.title,
        description=copy.description,
        bullets=list(copy.bullets),
        keywords=list(copy.keywords),
        model=copy.model,
    )


@router.post("", operation_id="createDescription", responses=problems(400, 401, 422, 502, 503))
def create(body: DescriptionCreate, tenant: TenantDep, describe: DescribeDep) -> DescriptionPublic:
    """Title, description, bullets and keywords for a product."""
    return copy_public(describe(body.product_type, body.attributes, body.style()))
