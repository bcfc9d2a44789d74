"""Local ``TrainingLauncher`` placeholder for deployments without avatar training.

Avatar (DreamBooth-LoRA) training arrives with its own adapter; until it is wired in,
launching answers a clear 503-class domain error instead of pretending to train.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from api.domain.errors import DependencyUnavailable

if TYPE_CHECKING:
    from api.ports import TrainingSpec


class UnavailableTrainingLauncher:
    """A ``TrainingLauncher`` that refuses to launch: training is not deployed here."""

    def launch(self, spec: TrainingSpec) -> dict[str, Any] | None:
        raise DependencyUnavailable(f"{spec.kind} training is not available on this deployment")

    def stop(self, spec: TrainingSpec) -> None:
        """Nothing can be running, so there is nothing to stop."""
