"""Taxonomies: store, read, list and delete a tenant's attribute taxonomies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.domain.errors import Conflict, NotFound
from api.domain.jobs import utcnow
from api.domain.taxonomies import Taxonomy

if TYPE_CHECKING:
    from api.domain.taxonomies import TaxonomySpec
    from api.ports import TaxonomyStore

MAX_TAXONOMIES = 100  # per tenant


class Taxonomies:
    """``/v1/taxonomies``; ``find`` is what attribute extraction reads a named one with."""

    def __init__(self, *, store: TaxonomyStore) -> None:
        self._store = store

    def put(self, tenant: str, name: str, spec: TaxonomySpec) -> Taxonomy:
        """Create or replace ``name``; ``Conflict`` (409) past the per-tenant limit."""
        if self._store.get(tenant, name) is None:
            if len(self._store.list(tenant, limit=MAX_TAXONOMIES)) >= MAX_TAXONOMIES:
                raise Conflict(f"at most {MAX_TAXONOMIES} taxonomies per tenant; delete one first")
        now = utcnow()
        return self._store.put(
            Taxonomy(tenant=tenant, name=name, spec=spec, created_at=now, updated_at=now)
        )

    def find(self, tenant: str, name: str) -> Taxonomy:
        """The tenant's taxonomy; another tenant's name is not found."""
        found = self._store.get(tenant, name)
        if found is None:
            raise NotFound(f"no taxonomy {name}")
        return found

    def list(self, tenant: str, *, limit: int) -> list[Taxonomy]:
        return self._store.list(tenant, limit=limit)

    def delete(self, tenant: str, name: str) -> None:
        if not self._store.delete(tenant, name):
            raise NotFound(f"no taxonomy {name}")
