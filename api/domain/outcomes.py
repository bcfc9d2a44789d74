"""Job outcomes: how the result of work done elsewhere reaches the core.

A job's work may finish in this process (the local runtime, the local trainer) or in
AWS (the async endpoint's SNS notification, EventBridge's training state change). Either
way the adapter or Lambda that learns of it builds one of these messages and hands it to
the core's single completion path; adapters never move job state themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from api.domain.jobs import JobError, JobKind


@dataclass(frozen=True, slots=True)
class JobRef:
    """Which job an outcome is about: every record carries its tenant.

    ``kind``, when the source knows it, is the kind of job the outcome can be about
    (an async inference only finishes try-ons, a training event only trainings); the
    core ignores an outcome whose job is of another kind.
    """

    tenant: str
    job_id: str
    kind: JobKind | None = None


@dataclass(frozen=True, slots=True)
class JobStarted:
    """The work began elsewhere (a training job is ``InProgress``)."""

    job: JobRef


@dataclass(frozen=True, slots=True)
class OutputReady:
    """An asynchronous inference finished; ``output`` is the container's JSON answer.

    ``location`` names where it was read from (the async endpoint's output URI), so the
    core can refuse an output that is not the one its submission was told to expect.
    """

    job: JobRef
    output: dict[str, Any]
    location: str | None = None


@dataclass(frozen=True, slots=True)
class TrainingFinished:
    """A training run completed; its output archive (or prefix) is at ``artifacts``."""

    job: JobRef
    artifacts: str
    training_job: str = ""
    # What the trainer reported (``avatar.json``), when the runtime already has it.
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class JobFailed:
    """The work failed elsewhere; ``error`` says why in problem terms."""

    job: JobRef
    error: JobError


Outcome = JobStarted | OutputReady | TrainingFinished | JobFailed
