"""The local webhook outbox's sender: a thread of its own over the ``webhooks`` table.

A job's terminal transition writes its event in the same SQLite transaction
(``SqliteJobStore.transition(event=...)``); this thread sends what is due, one attempt at
a time (``api/adapters/webhooks.deliver_once``: checked address, Standard Webhooks
signature), and records each outcome: delivered; failed (a final answer, or
``webhook_outbox_attempts`` used up); or pending again, due after a growing, jittered
wait. Nothing is held in memory: after a crash or a restart the pending rows are simply
due again, under the same ``webhook-id``, so receivers drop the duplicate an interrupted
attempt may cause. The job worker never waits on a receiver.

The waits are scheduled in the table rather than slept, so an in-process retry library
(tenacity, stamina) has no loop to drive here; ``backoff_seconds`` is the schedule.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from api.adapters.local.sqlite import DELIVERED, FAILED, PENDING
from api.adapters.webhooks import Attempt, backoff_seconds, client, deliver_once, event_body

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import httpx

    from api.adapters.local.sqlite import OutboxRow, SqliteJobStore, SqliteWebhookOutbox
    from api.adapters.webhooks import Resolver
    from api.domain.jobs import Job, WebhookEvent
    from api.settings import Settings

log = logging.getLogger(__name__)

_BATCH = 20


class OutboxSender:
    """The ``WebhookOutbox`` port, locally: sends due events on its own thread.

    Parameters
    ----------
    outbox, jobs
        The ``webhooks`` table and the job store (the job is read at sending time).
    settings
        Attempts, backoff, timeout, secret, whether loopback receivers are allowed.
    clock, poll_seconds, resolve
        Time source, how often the table is read, DNS; tests pass their own.
    secrets
        The secrets that sign a tenant's deliveries now (``tenant_signing_secrets``);
        by default the deployment's secret.
    """

    def __init__(
        self,
        outbox: SqliteWebhookOutbox,
        jobs: SqliteJobStore,
        settings: Settings,
        *,
        clock: Callable[[], float] = time.time,
        poll_seconds: float = 0.2,
        resolve: Resolver = socket.getaddrinfo,
        secrets: Callable[[str], Sequence[str]] | None = None,
    ) -> None:
        self._secrets = secrets
        self._outbox = outbox
        self._jobs = jobs
        self._settings = settings
        self._clock = clock
        self._poll = poll_seconds
        self._resolve = resolve
        self._present: Callable[[Job], dict[str, Any]] | None = None
        self._http: httpx.Client | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, present: Callable[[Job], dict[str, Any]]) -> None:
        """Send with ``present`` as the job JSON; what was pending before is due now."""
        if self._thread is not None:
            raise RuntimeError("outbox sender already started")
        self._present = present
        self._thread = threading.Thread(target=self._loop, name="vitrine-webhooks", daemon=True)
        self._thread.start()

    def notify(self, job: Job, event: WebhookEvent) -> None:
        """Nothing to hand over: the thread reads the table (within ``poll_seconds``)."""

    def run_once(self) -> int:
        """Attempt every due event once; return how many were attempted."""
        if self._present is None:
            raise RuntimeError("outbox sender not started")
        due = self._outbox.due(now=self._clock(), limit=_BATCH)
        for row in due:
            if self._stop.is_set() and self._thread is not None:
                break
            self._attempt(row, self._present)
        return len(due)

    def close(self) -> None:
        """Stop after the attempt in progress; pending events wait for the next start."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self._settings.webhook_timeout_seconds * 2 + 5)
        if self._http is not None:
            self._http.close()

    def _loop(self) -> None:
        busy = False  # a full batch: the next pass at once, else after ``poll_seconds``
        while not self._stop.wait(0 if busy else self._poll):
            try:
                busy = self.run_once() >= _BATCH
            except Exception:  # a database hiccup must not end the sender
                log.exception("webhook outbox pass failed")
                busy = False

    def _attempt(self, row: OutboxRow, present: Callable[[Job], dict[str, Any]]) -> None:
        job = self._jobs.get(row.tenant, row.job_id)
        if job is None:
            self._outbox.give_up(row.id, "job deleted")
            return
        if self._http is None:
            self._http = client(self._settings)
        try:
            body = event_body(row.type, {"job": present(job)}, int(row.created_at))
        except Exception:  # counted as an attempt: retried on schedule, never in a loop
            log.exception("webhook %s could not be rendered", row.id)
            result = Attempt(False, retry=True, outcome="internal error")
        else:
            secrets = self._secrets(row.tenant) if self._secrets is not None else None
            result = deliver_once(
                self._settings,
                self._http,
                row.url,
                row.id,
                body,
                resolve=self._resolve,
                secrets=secrets,
            )
        now = self._clock()
        attempts = row.attempts + 1
        if result.delivered:
            state, error, next_at = DELIVERED, None, now
            log.info("webhook %s %s delivered (attempt %d)", row.id, row.type, attempts)
        elif result.retry and attempts < self._settings.webhook_outbox_attempts:
            state, error = PENDING, result.outcome
            next_at = now + backoff_seconds(self._settings, attempts)
            log.info(
                "webhook %s attempt %d: %s; next at %s",
                row.id,
                attempts,
                result.outcome,
                datetime.fromtimestamp(next_at, UTC).isoformat(timespec="seconds"),
            )
        else:
            state, error, next_at = FAILED, result.outcome, now
            log.warning(
                "webhook %s %s given up after %d attempt(s): %s",
                row.id,
                row.type,
                attempts,
                result.outcome,
            )
        self._outbox.record(row.id, state=state, at=now, next_attempt_at=next_at, error=error)
