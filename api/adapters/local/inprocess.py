"""``ModelRuntime`` that runs the SageMaker handlers in this process (the local profile).

It loads ``sagemaker_containers/<model>/code/inference.py`` by file path, exactly the
module a SageMaker container would import, and drives the inference-toolkit contract:
``model_fn`` once per model, then ``input_fn → predict_fn → output_fn`` per call, with
JSON in and out. The handlers import torch and friends when first loaded; importing
this module does not.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import logging
import os
import re
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.domain.errors import (
    DependencyUnavailable,
    ModelInputRejected,
    ModelInvocationFailed,
    VitrineError,
)
from api.domain.job_data import AsyncSubmission
from api.domain.jobs import JobError, JobProgress
from api.domain.outcomes import JobFailed, OutputReady

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from types import ModuleType

    from api.domain.outcomes import JobRef
    from api.ports import OutcomeSink, ProgressBoard

log = logging.getLogger(__name__)

JSON = "application/json"
# The only model served from a multi-model endpoint, where ``target_model`` applies.
MULTI_MODEL = "avatar"
# The header SageMaker sets on a multi-model container's requests (the avatar reads it).
TARGET_MODEL_HEADER = "X-Amzn-SageMaker-Target-Model"


@dataclass(frozen=True, slots=True)
class _HeaderContext:
    """The part of a serving toolkit's request context a handler may read: headers."""

    headers: dict[str, str]

    def get_request_header(self, idx: int, key: str) -> str | None:
        return self.headers.get(key)
_MODEL_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_DEFAULT_CONTAINERS_DIR = Path(__file__).resolve().parents[3] / "sagemaker_containers"


@dataclass(frozen=True, slots=True)
class _Loaded:
    handler: ModuleType
    model: Any


class InProcessRuntime:
    """Real-time and "asynchronous" inference through the container handlers.

    Parameters
    ----------
    models_dir:
        Folder with one model directory per model name (``models/clipseg`` …), as built
        by ``python -m model_artifacts tiny`` or filled with real weights.
    containers_dir:
        Folder holding ``<model>/code/inference.py``; defaults to this repository's
        ``sagemaker_containers``.
    deliver:
        Receives the outcome of each ``submit_async`` (the core's ``handle``).
    progress:
        Receives each ``submit_async`` job's steps, where the handler's request takes an
        ``on_step`` callback (inpainting: after each denoising step).

    Notes
    -----
    Each model is loaded once, on first use, under a lock of its own: concurrent first
    calls load it once, and a slow load of one model never blocks calls to another. A
    failed load is not cached, so the next call tries again.
    """

    def __init__(
        self,
        models_dir: Path,
        containers_dir: Path | None = None,
        environment: Mapping[str, str] | None = None,
        deliver: OutcomeSink | None = None,
        progress: ProgressBoard | None = None,
    ) -> None:
        # Handlers read their configuration from env vars, as in a container; in-process
        # the container's environment is this process's, so it is applied here, once.
        os.environ.update(environment or {})
        self._deliver = deliver
        self._progress = progress
        self._models_dir = Path(models_dir)
        self._containers_dir = Path(containers_dir or _DEFAULT_CONTAINERS_DIR)
        self._loaded: dict[str, _Loaded] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def invoke(
        self,
        model: str,
        payload: dict[str, Any],
        *,
        target_model: str | None = None,
        on_step: Callable[[int, int], None] | None = None,
    ) -> dict[str, Any]:
        """Run one request through ``model``'s handler and return its JSON response.

        ``target_model`` is the multi-model endpoint's ``TargetModel`` and only applies
        to ``avatar``, whose ``predict_fn(data, model, context)`` reads it from the
        context's ``X-Amzn-SageMaker-Target-Model`` request header, as on SageMaker.

        Raises
        ------
        ModelInputRejected
            The handler refused the request (a ``ValueError`` from ``input_fn`` or
            ``predict_fn``), or ``target_model`` was given for a single-model endpoint.
        DependencyUnavailable
            No model directory or no handler for ``model``.
        ModelInvocationFailed
            Anything else went wrong inside the handler (logged with its traceback).
        """
        _check_name(model)
        if target_model is not None and model != MULTI_MODEL:
            raise ModelInputRejected(
                f"target_model only applies to the '{MULTI_MODEL}' multi-model endpoint, "
                f"not to '{model}'"
            )
        loaded = self._load(model)
        body = json.dumps(payload).encode("utf-8")
        try:
            data = loaded.handler.input_fn(body, JSON)
            if on_step is not None and hasattr(data, "on_step"):
                # Only in process: a callback cannot cross a container's HTTP boundary.
                data = dataclasses.replace(data, on_step=on_step)
            if target_model is not None:
                # As SageMaker tells a multi-model container: a request header, read
                # through the toolkit-style context that is predict_fn's third argument.
                context = _HeaderContext({TARGET_MODEL_HEADER: target_model})
                prediction = loaded.handler.predict_fn(data, loaded.model, context)
            else:
                prediction = loaded.handler.predict_fn(data, loaded.model)
        except ValueError as exc:
            raise ModelInputRejected(str(exc)) from exc
        except Exception as exc:
            log.exception("model %r failed on a request", model)
            raise ModelInvocationFailed(f"model '{model}' failed") from exc
        try:
            output = json.loads(loaded.handler.output_fn(prediction, JSON))
        except Exception as exc:
            log.exception("model %r failed to encode its response", model)
            raise ModelInvocationFailed(f"model '{model}' returned no valid response") from exc
        if not isinstance(output, dict):
            log.error("model %r returned %s, not a JSON object", model, type(output).__name__)
            raise ModelInvocationFailed(f"model '{model}' returned no valid response")
        return output

    def submit_async(self, model: str, payload: dict[str, Any], *, job: JobRef) -> AsyncSubmission:
        """Run the request now (locally "async" is synchronous) and deliver its outcome:
        ``OutputReady``, or ``JobFailed`` with the error ``invoke`` would raise."""
        if self._deliver is None:
            raise DependencyUnavailable("the in-process runtime has no outcome sink")
        log.info("running job %s on model %r in process", job.job_id, model)
        try:
            output = self.invoke(model, payload, on_step=self._reporter(job.job_id))
            outcome: OutputReady | JobFailed = OutputReady(job, output)
        except VitrineError as err:
            outcome = JobFailed(job, JobError.of(err))
        self._deliver(outcome)
        return AsyncSubmission(inference_id=job.job_id)

    def _reporter(self, job_id: str) -> Callable[[int, int], None] | None:
        board = self._progress
        if board is None:
            return None

        def on_step(done: int, total: int) -> None:
            board.report(job_id, JobProgress("running", done=done, total=total, unit="steps"))

        return on_step

    def _load(self, model: str) -> _Loaded:
        loaded = self._loaded.get(model)
        if loaded is not None:
            return loaded
        with self._lock_for(model):
            loaded = self._loaded.get(model)
            if loaded is None:
                loaded = self._loaded[model] = self._load_unlocked(model)
            return loaded

    def _lock_for(self, model: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(model, threading.Lock())

    def _load_unlocked(self, model: str) -> _Loaded:
        model_dir = self._models_dir / model
        # Client-facing details name the model only; paths go to the log.
        if not model_dir.is_dir():
            log.error("model %r not found in %s: run `make models` or set VITRINE_MODELS_DIR",
                      model, model_dir)
            raise DependencyUnavailable(f"model '{model}' is not installed on this server")
        handler_path = self._containers_dir / model / "code" / "inference.py"
        if not handler_path.is_file():
            log.error("no handler for model %r at %s", model, handler_path)
            raise DependencyUnavailable(f"no handler for model '{model}' on this server")
        try:
            handler = _import_handler(model, handler_path)
            instance = handler.model_fn(str(model_dir))
        except Exception as exc:
            log.exception("model %r failed to load from %s", model, model_dir)
            raise ModelInvocationFailed(f"model '{model}' failed to load") from exc
        log.info("model %r loaded from %s", model, model_dir)
        return _Loaded(handler=handler, model=instance)


def _check_name(model: str) -> None:
    # Names become path segments: never let one climb out of the models folder.
    if not _MODEL_NAME.fullmatch(model):
        raise ModelInputRejected(f"unknown model {model!r}")


def _import_handler(model: str, path: Path) -> ModuleType:
    """The handler module at ``path``.

    This repository's handlers are imported by package name,
    ``sagemaker_containers.<model>.code.inference``: the very module the inference image's
    ``SAGEMAKER_PROGRAM`` names, importing ``core`` and ``common`` the same single way.
    A handler from another containers folder is imported from its file, as a module of
    its own (every handler file is ``inference.py``).
    """
    package_name = f"sagemaker_containers.{model.replace('-', '_')}.code.inference"
    try:
        spec = importlib.util.find_spec(package_name)
    except ImportError:  # no such model package
        spec = None
    if spec is not None and spec.origin and Path(spec.origin).resolve() == path.resolve():
        return importlib.import_module(package_name)
    name = f"vitrine_handler_{model.replace('-', '_')}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    # Registered before running it: dataclasses and pickling look modules up by name.
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module
