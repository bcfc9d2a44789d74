"""In-process ``JobQueue``: a small thread pool, the local stand-in for SQS + worker Lambda.

The job store is the source of truth, not this pool: on ``start`` every job left
``queued`` or ``running`` (a crash, or a shutdown that cancelled pending work) is
enqueued again, and the job service makes re-running a job safe.

A job left ``running`` had its run interrupted; one that kills the process each time it
runs would be recovered forever. So interrupted runs are counted in the job store, and
after ``max_interrupted_runs`` of them the job is given up on (``give_up``: the wiring
delivers a ``JobFailed``), as SQS moves a message to the dead-letter queue after
``maxReceiveCount`` receives on AWS.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from api.domain.errors import DependencyUnavailable
from api.domain.jobs import JobError, JobStatus
from api.domain.outcomes import JobFailed, JobRef

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from api.domain.jobs import Job

log = logging.getLogger(__name__)

MAX_INTERRUPTED_RUNS = 3


def interrupted_failure(job: Job, runs: int) -> JobFailed:
    """The outcome that ends a job given up on after ``runs`` interrupted runs."""
    reason = DependencyUnavailable(
        f"The job's run was interrupted {runs} times (the server stopped while it ran); "
        "it is not run again: submit it again later"
    )
    return JobFailed(JobRef(job.tenant, job.id), JobError.of(reason))


class InProcessWorker:
    """Runs each enqueued job on a thread pool.

    Parameters
    ----------
    threads:
        Pool size (``VITRINE_WORKER_THREADS``).
    pending:
        Returns the jobs to recover on ``start`` (unfinished jobs of every tenant).
    interrupted:
        Records one more interrupted run of a recovered ``running`` job in the job store
        and returns how many it had; ``None``: not counted, always recovered.
    give_up:
        Ends a job that had ``max_interrupted_runs`` interrupted runs instead of running
        it again (called from ``start``, once the core is connected).
    """

    def __init__(
        self,
        *,
        threads: int,
        pending: Callable[[], Iterable[Job]],
        interrupted: Callable[[Job], int] | None = None,
        give_up: Callable[[Job, int], object] | None = None,
        max_interrupted_runs: int = MAX_INTERRUPTED_RUNS,
    ) -> None:
        self._threads = threads
        self._pending = pending
        self._interrupted = interrupted
        self._give_up = give_up
        self._max_interrupted_runs = max_interrupted_runs
        self._run: Callable[[Job], object] | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._futures: set[Future[object]] = set()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)

    def start(self, run: Callable[[Job], object]) -> int:
        """Start executing with ``run`` and re-enqueue unfinished jobs; return how many."""
        with self._lock:
            if self._pool is not None:
                raise RuntimeError("worker already started")
            self._run = run
            self._pool = ThreadPoolExecutor(self._threads, thread_name_prefix="vitrine-worker")
        recovered = 0
        for job in self._pending():
            if self._gave_up(job):
                continue
            self.enqueue(job)
            recovered += 1
        if recovered:
            log.info("re-enqueued %d unfinished job(s)", recovered)
        return recovered

    def enqueue(self, job: Job) -> None:
        with self._lock:
            if self._pool is None or self._run is None:
                # Not started (or closed): the job stays queued in the store and is
                # recovered by the next start, so nothing is lost.
                log.warning("worker not running; job %s stays queued", job.id)
                return
            future = self._pool.submit(self._execute, self._run, job)
            self._futures.add(future)
        future.add_done_callback(self._done)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no job is pending or running; ``False`` on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._futures, timeout)

    def close(self) -> None:
        """Finish the jobs already running; jobs not started stay queued for recovery."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _gave_up(self, job: Job) -> bool:
        """Count an interrupted run of ``job``; ``True`` if it was given up on."""
        if job.status is not JobStatus.RUNNING or self._interrupted is None:
            return False
        runs = self._interrupted(job)
        if runs < self._max_interrupted_runs or self._give_up is None:
            return False
        log.error("job %s: %d interrupted runs, not run again", job.id, runs)
        try:
            self._give_up(job, runs)
        except Exception:
            log.exception("job %s could not be ended after %d interrupted runs", job.id, runs)
        return True

    @staticmethod
    def _execute(run: Callable[[Job], object], job: Job) -> object:
        try:
            return run(job)
        except Exception:  # the job service records failures; this is the last guard
            log.exception("job %s crashed the worker", job.id)
            return None

    def _done(self, future: Future[object]) -> None:
        with self._idle:
            self._futures.discard(future)
            if not self._futures:
                self._idle.notify_all()
