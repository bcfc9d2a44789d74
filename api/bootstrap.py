"""Composition root: picks the adapters for the configured profile.

Services receive a ``Container`` and use only its ports; tests build one with fakes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from api import ports
    from api.settings import Settings


@dataclass
class Container:
    settings: Settings
    uploads: ports.ObjectStore
    results: ports.ObjectStore
    # Model artifacts (avatar adapters under the multi-model endpoint's prefix).
    artifacts: ports.ObjectStore
    jobs: ports.JobStore
    idempotency: ports.IdempotencyStore
    runtime: ports.ModelRuntime
    copywriter: ports.Copywriter
    moderator: ports.Moderator
    queue: ports.JobQueue
    training: ports.TrainingLauncher
    tenants: ports.TenantResolver
    # Things to close on shutdown (worker threads, DB connections).
    closers: list[object] = field(default_factory=list)

    def close(self) -> None:
        for closer in reversed(self.closers):
            close = getattr(closer, "close", None)
            if callable(close):
                close()


def build_container(settings: Settings) -> Container:
    """Adapters for ``settings.profile``; imported lazily so each profile loads only its own."""
    if settings.profile == "aws":
        from api.adapters.aws.wiring import build

        return build(settings)
    from api.adapters.local.wiring import build

    return build(settings)
