"""The local expiry sweeper: what S3 lifecycle rules and DynamoDB's TTL do on AWS.

Once at start and then every ``interval`` seconds, it removes what is past its time:
terminal jobs past ``expires_at`` (their row, and their files under
``{tenant}/jobs/{id}/`` in the uploads and results stores), idempotency records past
``expires_at``, and uploads (``{tenant}/uploads/…``) older than ``upload_retention`` (the
uploads bucket's expiry, ``vitrine:uploadsExpirationDays``). Avatar trainings are left
alone: their artifacts are served until the avatar is deleted.

Each pass then runs the core's periodic tasks handed to ``add_task`` (the wiring's
``housekeeping``: failing handed-off jobs that never heard back), as the AWS profile's
scheduled Lambda does.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from api.domain.jobs import JobKind, utcnow

if TYPE_CHECKING:
    from collections.abc import Callable

    from api.adapters.local.fs import FilesystemObjectStore
    from api.adapters.local.sqlite import SqliteIdempotencyStore, SqliteJobStore

log = logging.getLogger(__name__)

UPLOAD_RETENTION = timedelta(days=1)
SWEEP_INTERVAL_SECONDS = 3600.0
_KEPT_KINDS = frozenset({JobKind.AVATAR_TRAINING})


@dataclass(frozen=True, slots=True)
class Swept:
    jobs: int = 0
    idempotency: int = 0
    uploads: int = 0


class ExpirySweeper:
    """Removes expired jobs, idempotency records and uploads (see the module)."""

    def __init__(
        self,
        *,
        jobs: SqliteJobStore,
        idempotency: SqliteIdempotencyStore,
        uploads: FilesystemObjectStore,
        results: FilesystemObjectStore,
        upload_retention: timedelta = UPLOAD_RETENTION,
        interval: float = SWEEP_INTERVAL_SECONDS,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._jobs = jobs
        self._idempotency = idempotency
        self._uploads = uploads
        self._results = results
        self._upload_retention = upload_retention
        self._interval = interval
        self._clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._tasks: list[Callable[[], object]] = []

    def add_task(self, task: Callable[[], object]) -> None:
        """Run ``task`` after every sweep (add before ``start``)."""
        self._tasks.append(task)

    def sweep(self) -> Swept:
        """Remove everything expired now; return the counts."""
        now = self._clock()
        jobs = 0
        for job in self._jobs.expired(now):
            if job.kind in _KEPT_KINDS:
                continue
            prefix = f"{job.tenant}/jobs/{job.id}/"
            self._results.delete_prefix(prefix)
            self._uploads.delete_prefix(prefix)
            jobs += self._jobs.delete(job.tenant, job.id)
        swept = Swept(
            jobs=jobs,
            idempotency=self._idempotency.delete_expired(now),
            uploads=self._expire_uploads(now),
        )
        if swept != Swept():
            log.info("expired %s", swept)
        for task in self._tasks:
            try:
                task()
            except Exception:  # one failed task must not stop the others, or the sweeper
                log.exception("housekeeping task %r failed", task)
        return swept

    def start(self) -> None:
        """Sweep now, then every ``interval`` seconds on a daemon thread, until ``close``."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._loop, name="vitrine-expiry", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.sweep()
            except Exception:  # a failed sweep is retried at the next interval
                log.exception("expiry sweep failed")
            self._stop.wait(self._interval)

    def _expire_uploads(self, now: datetime) -> int:
        cutoff = (now - self._upload_retention).timestamp()
        root = self._uploads.root
        expired = 0
        for tenant_dir in (p for p in root.iterdir() if p.is_dir()):
            uploads_dir = tenant_dir / "uploads"
            if not uploads_dir.is_dir():
                continue
            for path in uploads_dir.iterdir():
                hidden = path.name.startswith(".")  # content-type sidecars, temp files
                if path.is_file() and not hidden and path.stat().st_mtime < cutoff:
                    expired += self._uploads.delete(path.relative_to(root).as_posix())
        return expired

