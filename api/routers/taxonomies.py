"""``/v1/taxonomies``: the tenant's attributes and their allowed values."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from api.deps import TaxonomiesDep, TenantDep
from api.schemas.common import problems
from api.schemas.taxonomies import TaxonomiesPublic, TaxonomyIn, TaxonomyName, TaxonomyPublic

router = APIRouter(prefix="/taxonomies", tags=["taxonomies"])
NameParam = Annotated[TaxonomyName, Path(description="Lower-case letters, digits, - and _.")]


@router.put(
    "/{name}", operation_id="putTaxonomy", responses=problems(400, 401, 409, 413, 422, 503)
)
def put(name: NameParam, body: TaxonomyIn, tenant: TenantDep, taxonomies: TaxonomiesDep) -> (
    TaxonomyPublic
):
    """Create or replace a taxonomy; POST /v1/attributes then answers only its values."""
    return TaxonomyPublic.of(taxonomies.put(tenant, name, body.spec()))


@router.get("", operation_id="listTaxonomies", responses=problems(401, 422, 503))
def read_all(
    tenant: TenantDep,
    taxonomies: TaxonomiesDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 100,
) -> TaxonomiesPublic:
    """The caller's taxonomies, by name."""
    found = [TaxonomyPublic.of(t) for t in taxonomies.list(tenant, limit=limit)]
    return TaxonomiesPublic(data=found, count=len(found))


@router.get("/{name}", operation_id="getTaxonomy", responses=problems(401, 404, 422, 503))
def read(name: NameParam, tenant: TenantDep, taxonomies: TaxonomiesDep) -> TaxonomyPublic:
    """One of the caller's taxonomies."""
    return TaxonomyPublic.of(taxonomies.find(tenant, name))


@router.delete(
    "/{name}", operation_id="deleteTaxonomy", status_code=204,
    responses=problems(401, 404, 422, 503),
)
def delete(name: NameParam, tenant: TenantDep, taxonomies: TaxonomiesDep) -> Response:
    """Delete a taxonomy (attribute results already returned are unaffected)."""
    taxonomies.delete(tenant, name)
    return Response(status_code=204)
