"""SQLite ``JobStore``, ``IdempotencyStore`` and webhook outbox: the local DynamoDB.

The ``webhooks`` table is the outbox: a terminal transition with an event inserts its
row in the same transaction; ``api/adapters/local/outbox.py`` sends and updates it.

One connection guarded by a lock (the API's threads and the worker's threads share it),
WAL journaling so a second process can read while one writes, JSON in text columns.
State changes are conditional in SQL (``... WHERE status = :from``), the local
equivalent of a DynamoDB ``ConditionExpression``: a terminal job never changes again.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from api.domain.errors import Conflict, DependencyUnavailable, InvalidJobTransition, NotFound
from api.domain.jobs import (
    TERMINAL,
    Job,
    JobError,
    JobKind,
    JobStatus,
    WebhookDelivery,
    WebhookEvent,
    utcnow,
)
from api.ports import IdempotencyRecord

if TYPE_CHECKING:
    import builtins
    from collections.abc import Iterator
    from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    request TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    callback_url TEXT,
    result TEXT,
    error TEXT,
    internal TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS jobs_by_tenant ON jobs (tenant, created_at DESC);
CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs (status);
CREATE TABLE IF NOT EXISTS idempotency (
    tenant TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    status_code INTEGER,
    body BLOB NOT NULL DEFAULT x'',
    headers TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant, key)
);
CREATE TABLE IF NOT EXISTS webhooks (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    job_id TEXT NOT NULL,
    type TEXT NOT NULL,
    url TEXT NOT NULL,
    created_at REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    last_attempt_at REAL,
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS webhooks_due ON webhooks (state, next_attempt_at);
CREATE INDEX IF NOT EXISTS webhooks_by_job ON webhooks (tenant, job_id);
"""
# Jobs with their webhook's delivery (at most one event per job: its terminal one).
_JOBS = (
    "SELECT jobs.*, w.state AS w_state, w.attempts AS w_attempts,"
    " w.last_attempt_at AS w_last_attempt_at, w.last_error AS w_last_error FROM jobs"
    " LEFT JOIN webhooks w ON w.tenant = jobs.tenant AND w.job_id = jobs.id"
)
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
_TERMINAL_SQL = ", ".join(f"'{s.value}'" for s in sorted(TERMINAL))


class Database:
    """The shared SQLite connection.

    Parameters
    ----------
    path:
        Database file (``<data_dir>/vitrine.db``); ``:memory:`` works for tests.
    """

    def __init__(self, path: Path | str) -> None:
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            str(path), check_same_thread=False, isolation_level=None, timeout=10.0
        )
        self._conn.row_factory = sqlite3.Row
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``: takes the write lock up front)."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise DependencyUnavailable(f"job database is busy: {exc}") from exc
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as exc:
                self._conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError):
                    raise DependencyUnavailable(f"job database failed: {exc}") from exc
                raise

    def query(self, sql: str, params: dict[str, Any] | tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise DependencyUnavailable(f"job database failed: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class SqliteJobStore:
    """``JobStore`` over ``Database``; another tenant's id behaves as missing."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, job: Job) -> None:
        try:
            with self._db.transaction() as conn:
                conn.execute(
                    "INSERT INTO jobs VALUES (:id, :tenant, :kind, :status, :request,"
                    " :created_at, :updated_at, :expires_at, :callback_url, :result,"
                    " :error, :internal)",
                    _to_row(job),
                )
        except sqlite3.IntegrityError as exc:
            raise Conflict(f"job {job.id} already exists") from exc

    def get(self, tenant: str, job_id: str) -> Job | None:
        rows = self._db.query(f"{_JOBS} WHERE jobs.tenant = ? AND jobs.id = ?", (tenant, job_id))
        return _from_row(rows[0]) if rows else None

    def transition(
        self,
        tenant: str,
        job_id: str,
        to: JobStatus,
        *,
        result: dict[str, Any] | None = None,
        error: JobError | None = None,
        internal: dict[str, Any] | None = None,
        event: WebhookEvent | None = None,
    ) -> Job:
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT * FROM jobs WHERE tenant = ? AND id = ?", (tenant, job_id)
            ).fetchone()
            if row is None:
                raise NotFound(f"no job {job_id}")
            current = _from_row(row)
            moved = current.moved(to, result=result, error=error)  # raises if not allowed
            merged = {**current.internal, **(internal or {})}
            updated = conn.execute(
                "UPDATE jobs SET status = :status, updated_at = :updated_at,"
                " result = :result, error = :error, internal = :internal"
                " WHERE tenant = :tenant AND id = :id AND status = :from"
                f" AND status NOT IN ({_TERMINAL_SQL})",
                {**_to_row(moved), "internal": json.dumps(merged), "from": current.status.value},
            ).rowcount
            if updated != 1:
                raise InvalidJobTransition(f"job {job_id} changed concurrently")
            delivery = None
            if event is not None:
                now = time.time()
                conn.execute(
                    "INSERT INTO webhooks (id, tenant, job_id, type, url, created_at,"
                    " next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (event.id, tenant, job_id, event.type, event.url, now, now),
                )
                delivery = WebhookDelivery(state=PENDING)
        return replace(moved, internal=merged, webhook=delivery or moved.webhook)

    def list(self, tenant: str, *, kind: JobKind | None = None, limit: int = 50) -> list[Job]:
        sql = f"{_JOBS} WHERE jobs.tenant = ?"
        params: tuple[Any, ...] = (tenant,)
        if kind is not None:
            sql, params = sql + " AND jobs.kind = ?", (*params, kind.value)
        rows = self._db.query(f"{sql} ORDER BY jobs.created_at DESC LIMIT ?", (*params, limit))
        return [_from_row(r) for r in rows]

    def delete(self, tenant: str, job_id: str) -> bool:
        with self._db.transaction() as conn:
            deleted = conn.execute(
                "DELETE FROM jobs WHERE tenant = ? AND id = ?", (tenant, job_id)
            ).rowcount
            conn.execute("DELETE FROM webhooks WHERE tenant = ? AND job_id = ?", (tenant, job_id))
        return bool(deleted)

    def count_interrupted_run(self, job: Job) -> int:
        """Record that ``job``'s run was interrupted (it was ``running`` when the process
        stopped); return how many of its runs were, this one included (``internal``'s
        ``interrupted_runs``)."""
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE jobs SET internal = json_set(internal, '$.interrupted_runs',"
                " COALESCE(json_extract(internal, '$.interrupted_runs'), 0) + 1)"
                " WHERE tenant = ? AND id = ?",
                (job.tenant, job.id),
            )
            row = conn.execute(
                "SELECT json_extract(internal, '$.interrupted_runs') FROM jobs"
                " WHERE tenant = ? AND id = ?",
                (job.tenant, job.id),
            ).fetchone()
        return int(row[0]) if row is not None and row[0] is not None else 0

    def expired(self, now: datetime) -> builtins.list[Job]:
        """Every tenant's terminal jobs whose ``expires_at`` has passed (the expiry
        sweeper; DynamoDB's TTL on AWS)."""
        rows = self._db.query(f"SELECT * FROM jobs WHERE status IN ({_TERMINAL_SQL})")
        return [job for job in map(_from_row, rows) if job.expires_at <= now]

    def stalled(self, before: datetime) -> Iterator[Job]:
        rows = self._db.query(
            f"{_JOBS} WHERE jobs.status = ? AND jobs.updated_at < ? ORDER BY jobs.updated_at",
            (JobStatus.RUNNING.value, before.isoformat()),
        )
        return map(_from_row, rows)

    def unfinished(self) -> builtins.list[Job]:
        """Every tenant's ``queued``/``running`` jobs, oldest first (worker recovery)."""
        rows = self._db.query(
            f"SELECT * FROM jobs WHERE status NOT IN ({_TERMINAL_SQL}) ORDER BY created_at"
        )
        return [_from_row(r) for r in rows]


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One recorded webhook event and its delivery so far (times in unix seconds)."""

    id: str
    tenant: str
    job_id: str
    type: str
    url: str
    created_at: float
    state: str
    attempts: int
    next_attempt_at: float
    last_error: str | None


class SqliteWebhookOutbox:
    """The ``webhooks`` table: what is due, and each attempt's outcome."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def due(self, *, now: float, limit: int) -> builtins.list[OutboxRow]:
        """Pending events whose next attempt is due, oldest first."""
        rows = self._db.query(
            "SELECT * FROM webhooks WHERE state = ? AND next_attempt_at <= ?"
            " ORDER BY next_attempt_at LIMIT ?",
            (PENDING, now, limit),
        )
        return [_outbox_row(r) for r in rows]

    def get(self, event_id: str) -> OutboxRow | None:
        rows = self._db.query("SELECT * FROM webhooks WHERE id = ?", (event_id,))
        return _outbox_row(rows[0]) if rows else None

    def record(
        self, event_id: str, *, state: str, at: float, next_attempt_at: float, error: str | None
    ) -> None:
        """One attempt made at ``at``: its outcome, and when the next one is due."""
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE webhooks SET state = ?, attempts = attempts + 1, last_attempt_at = ?,"
                " next_attempt_at = ?, last_error = ? WHERE id = ? AND state = ?",
                (state, at, next_attempt_at, error, event_id, PENDING),
            )

    def give_up(self, event_id: str, reason: str) -> None:
        """End an event that can no longer be sent (its job was deleted)."""
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE webhooks SET state = ?, last_error = ? WHERE id = ? AND state = ?",
                (FAILED, reason, event_id, PENDING),
            )


def _outbox_row(row: sqlite3.Row) -> OutboxRow:
    return OutboxRow(
        id=row["id"],
        tenant=row["tenant"],
        job_id=row["job_id"],
        type=row["type"],
        url=row["url"],
        created_at=row["created_at"],
        state=row["state"],
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        last_error=row["last_error"],
    )


class SqliteIdempotencyStore:
    """``IdempotencyStore`` over ``Database``.

    Parameters
    ----------
    db:
        The shared database.
    in_progress_lease:
        A claim that never completed (its process died mid-request) stops blocking its
        key after this long, so a client's retry can run instead of a permanent 409.
    """

    def __init__(self, db: Database, *, in_progress_lease: timedelta = timedelta(minutes=15)):
        self._db = db
        self._lease = in_progress_lease

    def claim(self, record: IdempotencyRecord) -> IdempotencyRecord | None:
        now = utcnow()
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT * FROM idempotency WHERE tenant = ? AND key = ?",
                (record.tenant, record.key),
            ).fetchone()
            if row is not None and _live(row, now, self._lease):
                return _record_from_row(row)
            conn.execute(
                "INSERT OR REPLACE INTO idempotency (tenant, key, request_hash, created_at,"
                " expires_at, status_code, body, headers) VALUES (?, ?, ?, ?, ?, NULL, x'', '{}')",
                (
                    record.tenant,
                    record.key,
                    record.request_hash,
                    now.isoformat(),
                    record.expires_at.isoformat(),
                ),
            )
        return None

    def complete(
        self, tenant: str, key: str, *, status_code: int, body: bytes, headers: dict[str, str]
    ) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE idempotency SET status_code = ?, body = ?, headers = ?"
                " WHERE tenant = ? AND key = ?",
                (status_code, body, json.dumps(headers), tenant, key),
            )

    def release(self, tenant: str, key: str) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "DELETE FROM idempotency WHERE tenant = ? AND key = ? AND status_code IS NULL",
                (tenant, key),
            )


    def delete_expired(self, now: datetime) -> int:
        """Remove the records whose ``expires_at`` has passed; return how many."""
        rows = self._db.query("SELECT tenant, key, expires_at FROM idempotency")
        gone = [
            (row["tenant"], row["key"])
            for row in rows
            if datetime.fromisoformat(row["expires_at"]) <= now
        ]
        if gone:
            with self._db.transaction() as conn:
                conn.executemany("DELETE FROM idempotency WHERE tenant = ? AND key = ?", gone)
        return len(gone)


def _live(row: sqlite3.Row, now: datetime, lease: timedelta) -> bool:
    if datetime.fromisoformat(row["expires_at"]) <= now:
        return False
    in_progress = row["status_code"] is None
    return not in_progress or datetime.fromisoformat(row["created_at"]) + lease > now


def _record_from_row(row: sqlite3.Row) -> IdempotencyRecord:
    return IdempotencyRecord(
        tenant=row["tenant"],
        key=row["key"],
        request_hash=row["request_hash"],
        expires_at=datetime.fromisoformat(row["expires_at"]),
        status_code=row["status_code"],
        body=bytes(row["body"]),
        headers=json.loads(row["headers"]),
        claimed_at=datetime.fromisoformat(row["created_at"]),
    )


def _to_row(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "tenant": job.tenant,
        "kind": job.kind.value,
        "status": job.status.value,
        "request": json.dumps(job.request),
        "created_at": job.created_at.isoformat(),
        "updated_at": job.updated_at.isoformat(),
        "expires_at": job.expires_at.isoformat(),
        "callback_url": job.callback_url,
        "result": None if job.result is None else json.dumps(job.result),
        "error": None if job.error is None else json.dumps(asdict(job.error)),
        "internal": json.dumps(job.internal),
    }


def _from_row(row: sqlite3.Row) -> Job:
    return Job(
        id=row["id"],
        tenant=row["tenant"],
        kind=JobKind(row["kind"]),
        status=JobStatus(row["status"]),
        request=json.loads(row["request"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        expires_at=datetime.fromisoformat(row["expires_at"]),
        callback_url=row["callback_url"],
        result=None if row["result"] is None else json.loads(row["result"]),
        error=None if row["error"] is None else JobError(**json.loads(row["error"])),
        internal=json.loads(row["internal"]),
        webhook=_delivery(row),
    )


def _delivery(row: sqlite3.Row) -> WebhookDelivery | None:
    if "w_state" not in row.keys() or row["w_state"] is None:
        return None
    last = row["w_last_attempt_at"]
    return WebhookDelivery(
        state=row["w_state"],
        attempts=row["w_attempts"],
        last_attempt_at=None if last is None else datetime.fromtimestamp(last, UTC),
        last_error=row["w_last_error"],
    )
