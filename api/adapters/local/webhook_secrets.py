"""SQLite ``WebhookSecretStore``: the ``webhook_secrets`` table, one row per tenant.

Secret values are kept at rest as the local profile keeps its own secrets
(``secrets.py``: a file only its owner may read): the database file and its WAL and
shared-memory files are restricted to mode 0600 (``restrict_database``), and the values
sit in a column of their own that no other query reads. The AWS store encrypts them
with KMS instead (``api/adapters/aws/webhook_secrets.py``).
"""

from __future__ import annotations

import json
import logging
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from api.domain.errors import Conflict
from api.domain.webhook_secrets import from_stored, metadata_of, values_of

if TYPE_CHECKING:
    from api.adapters.local.sqlite import Database
    from api.domain.webhook_secrets import TenantSecrets

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS webhook_secrets (
    tenant TEXT PRIMARY KEY,
    current_id TEXT NOT NULL,
    metadata TEXT NOT NULL,
    secret_values TEXT NOT NULL
)
"""
_OWNER_ONLY = 0o600


def restrict_database(path: Path) -> None:
    """Limit the database file and its WAL/shared-memory companions to their owner."""
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if stat.S_IMODE(file.stat().st_mode) != _OWNER_ONLY:
                file.chmod(_OWNER_ONLY)
        except FileNotFoundError:
            continue


class SqliteWebhookSecretStore:
    """``WebhookSecretStore`` over the shared ``Database``; rows are keyed by tenant."""

    def __init__(self, db: Database) -> None:
        self._db = db
        with db.transaction() as conn:
            conn.execute(_SCHEMA)

    def get(self, tenant: str, *, values: bool = False) -> TenantSecrets | None:
        columns = "metadata, secret_values" if values else "metadata, '{}' AS secret_values"
        rows = self._db.query(
            f"SELECT {columns} FROM webhook_secrets WHERE tenant = ?", (tenant,)
        )
        if not rows:
            return None
        return from_stored(
            tenant, json.loads(rows[0]["metadata"]), json.loads(rows[0]["secret_values"])
        )

    def put(self, secrets: TenantSecrets, *, replaces: str | None) -> None:
        ids = {secrets.current.id, *(r.secret.id for r in secrets.previous)}
        with self._db.transaction() as conn:
            stored = conn.execute(
                "SELECT secret_values FROM webhook_secrets WHERE tenant = ?", (secrets.tenant,)
            ).fetchone()
            kept = json.loads(stored[0]) if stored is not None else {}
            # Earlier secrets keep their stored values; the new one brings its own.
            values = {k: v for k, v in kept.items() if k in ids} | values_of(secrets)
            row = (
                secrets.current.id,
                json.dumps(metadata_of(secrets)),
                json.dumps(values),
                secrets.tenant,
            )
            if replaces is None:
                changed = conn.execute(
                    "INSERT OR IGNORE INTO webhook_secrets"
                    " (current_id, metadata, secret_values, tenant) VALUES (?, ?, ?, ?)",
                    row,
                ).rowcount
            else:
                changed = conn.execute(
                    "UPDATE webhook_secrets SET current_id = ?, metadata = ?, secret_values = ?"
                    " WHERE tenant = ? AND current_id = ?",
                    (*row, replaces),
                ).rowcount
        if changed != 1:
            raise Conflict("the webhook secret was rotated concurrently; try again")
