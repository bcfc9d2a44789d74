"""The app the crash test runs under uvicorn: the real app on the real local adapters
(settings from ``VITRINE_*``), only the model runtime a fake that a test can hold.

``uvicorn crash_app:create --factory`` (with ``tests/api`` on ``PYTHONPATH``). The
runtime answers as ``FakeRuntime`` does, but first writes ``entered-<what>`` into the
folder ``CRASH_GATES`` names, then waits while ``hold-<what>`` exists there: ``<what>``
is the request's seed for a try-on, ``invoke`` for a segmentation with a prompt
``hold``. So the test knows a job (or a request) is inside the model when it kills
the server, without timing anything.

Avatar training is the real local launcher, running ``CRASH_TRAINER`` (a stand-in for
``train.py``) in its child process.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api_support import FakeRuntime

from api.adapters.local.training import LocalTrainingLauncher
from api.adapters.local.wiring import build
from api.app import create_app
from api.settings import get_settings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from api.domain.job_data import AsyncSubmission
    from api.domain.outcomes import JobRef


class GatedRuntime(FakeRuntime):
    def __init__(self, gates: Path) -> None:
        super().__init__()
        self.gates = gates

    def _pass(self, what: str) -> None:
        (self.gates / f"entered-{what}").touch()
        while (self.gates / f"hold-{what}").exists():
            time.sleep(0.02)

    def invoke(
        self, model: str, payload: dict[str, Any], *, target_model: str | None = None
    ) -> dict[str, Any]:
        if "hold" in payload.get("prompts", []):
            self._pass("invoke")
        return super().invoke(model, payload, target_model=target_model)

    def submit_async(self, model: str, payload: dict[str, Any], *, job: JobRef) -> AsyncSubmission:
        self._pass(str(payload["seed"]))
        return super().submit_async(model, payload, job=job)


def create() -> FastAPI:
    settings = get_settings()
    runtime = GatedRuntime(Path(os.environ["CRASH_GATES"]))

    def training(uploads: Any, artifacts: Any, deliver: Any) -> LocalTrainingLauncher:
        return LocalTrainingLauncher(
            uploads=uploads,
            artifacts=artifacts,
            models_dir=settings.models_dir,
            deliver=deliver,
            program=os.environ["CRASH_TRAINER"],
            threads=settings.training_threads,
            scratch_dir=settings.data_dir / "training-scratch",
        )

    return create_app(settings, build(settings, runtime=runtime.bind, training=training))
