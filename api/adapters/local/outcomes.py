"""The outcome sink the local adapters that run work in process deliver to.

The adapters are built before the core that handles their outcomes, so they get this
relay; the composition root connects it to ``JobCore.handle`` (``Adapters.connect``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from api.domain.outcomes import Outcome
    from api.ports import OutcomeSink

log = logging.getLogger(__name__)


class OutcomeRelay:
    """Forwards each outcome to the connected sink (logged and dropped before that)."""

    def __init__(self) -> None:
        self._sink: OutcomeSink | None = None

    def connect(self, sink: OutcomeSink) -> None:
        self._sink = sink

    def __call__(self, outcome: Outcome) -> object:
        if self._sink is None:
            log.warning("outcome for job %s dropped: nothing connected", outcome.job.job_id)
            return None
        return self._sink(outcome)
