"""SQLite ``TaxonomyStore``: the tenant's taxonomies in their own table of the local DB."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from api.domain.taxonomies import Taxonomy, TaxonomySpec

if TYPE_CHECKING:
    import builtins
    import sqlite3

    from api.adapters.local.sqlite import Database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS taxonomies (
    tenant TEXT NOT NULL,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant, name)
)
"""


class SqliteTaxonomyStore:
    """Taxonomies in ``vitrine.db``; the table is created on first start."""

    def __init__(self, db: Database) -> None:
        self._db = db
        with db.transaction() as conn:
            conn.execute(_SCHEMA)

    def put(self, taxonomy: Taxonomy) -> Taxonomy:
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO taxonomies (tenant, name, body, created_at, updated_at)"
                " VALUES (:tenant, :name, :body, :now, :now)"
                " ON CONFLICT (tenant, name) DO UPDATE SET body = :body, updated_at = :now",
                {
                    "tenant": taxonomy.tenant,
                    "name": taxonomy.name,
                    "body": json.dumps(taxonomy.spec.body()),
                    "now": taxonomy.updated_at.isoformat(),
                },
            )
        stored = self.get(taxonomy.tenant, taxonomy.name)
        assert stored is not None, "just written under the write lock's transaction"
        return stored

    def get(self, tenant: str, name: str) -> Taxonomy | None:
        rows = self._db.query(
            "SELECT * FROM taxonomies WHERE tenant = ? AND name = ?", (tenant, name)
        )
        return _taxonomy(rows[0]) if rows else None

    def list(self, tenant: str, *, limit: int = 100) -> builtins.list[Taxonomy]:
        rows = self._db.query(
            "SELECT * FROM taxonomies WHERE tenant = ? ORDER BY name LIMIT ?", (tenant, limit)
        )
        return [_taxonomy(row) for row in rows]

    def delete(self, tenant: str, name: str) -> bool:
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "DELETE FROM taxonomies WHERE tenant = ? AND name = ?", (tenant, name)
            )
        return cursor.rowcount > 0


def _taxonomy(row: sqlite3.Row) -> Taxonomy:
    return Taxonomy(
        tenant=row["tenant"],
        name=row["name"],
        spec=TaxonomySpec.from_body(json.loads(row["body"])),
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
    )
