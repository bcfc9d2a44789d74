"""A ``ModelRuntime`` built on first use.

The in-process runtime imports torch and loads models: seconds, and gigabytes for
real weights. Deferring it keeps the API's start (and ``/healthz``, uploads, jobs)
instant and torch-free until a request actually needs a model.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from api.domain.errors import DependencyUnavailable

if TYPE_CHECKING:
    from collections.abc import Callable

    from api.domain.job_data import AsyncSubmission
    from api.domain.outcomes import JobRef
    from api.ports import ModelRuntime


class LazyRuntime:
    """Delegates to the runtime ``factory`` builds, building it once, thread-safely.

    Parameters
    ----------
    factory:
        Builds the real runtime; an ``ImportError`` from it (the ``models`` extra is not
        installed) becomes ``DependencyUnavailable``.
    """

    def __init__(self, factory: Callable[[], ModelRuntime]) -> None:
        self._factory = factory
        self._runtime: ModelRuntime | None = None
        self._lock = threading.Lock()

    def invoke(
        self, model: str, payload: dict[str, Any], *, target_model: str | None = None
    ) -> dict[str, Any]:
        return self._get().invoke(model, payload, target_model=target_model)

    def submit_async(self, model: str, payload: dict[str, Any], *, job: JobRef) -> AsyncSubmission:
        return self._get().submit_async(model, payload, job=job)

    def close(self) -> None:
        close = getattr(self._runtime, "close", None)
        if callable(close):
            close()

    def _get(self) -> ModelRuntime:
        with self._lock:
            if self._runtime is None:
                try:
                    self._runtime = self._factory()
                except ImportError as exc:
                    raise DependencyUnavailable(
                        f"the local model runtime cannot load ({exc.name or exc});"
                        " install the models extra: pip install -e '.[models]'"
                    ) from exc
            return self._runtime
