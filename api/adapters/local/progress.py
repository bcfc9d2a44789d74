"""In-memory ``ProgressBoard`` for the local profile: the in-process runtime reports
diffusion steps here, the job view reads them.

Memory is enough: work runs in this process, and after a restart an interrupted job runs
again from the start, reporting afresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from api.domain.jobs import JobProgress

# Bounded: entries of jobs that ended are never read again; the oldest go first.
MAX_JOBS = 1024


class MemoryProgressBoard:
    """The latest progress per job id, thread-safe (the runtime reports from a worker
    thread while request threads read)."""

    def __init__(self, max_jobs: int = MAX_JOBS) -> None:
        self._latest: OrderedDict[str, JobProgress] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_jobs

    def report(self, job_id: str, progress: JobProgress) -> None:
        with self._lock:
            self._latest[job_id] = progress
            self._latest.move_to_end(job_id)
            while len(self._latest) > self._max:
                self._latest.popitem(last=False)

    def get(self, job_id: str) -> JobProgress | None:
        with self._lock:
            return self._latest.get(job_id)
