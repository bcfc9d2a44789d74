"""Time budgets for AWS calls: how long a call may take, at worst, and fitting it to a deadline.

A botocore call makes up to ``max_attempts`` attempts; each may wait ``connect_timeout``
to connect and ``read_timeout`` between bytes (a non-streaming model call sends nothing
until it is done, so that is the whole inference), and botocore sleeps between attempts
(standard and adaptive modes: a random delay up to ``2 ** (attempt - 1)`` s, at most
20 s). So the worst case of one call is::

    attempts * (connect + read) + sum(min(20, 2 ** i) for i in range(attempts - 1))

Where a call must end by a deadline (API Gateway answers 504 at 29 s; a Lambda is killed
at its timeout), ``fit`` cuts attempts first, then the read timeout, so the worst case
fits the time left. Pure arithmetic; ``clients.py`` applies it.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Protocol, TypeVar


class Policy(Protocol):
    """What a retry/timeout policy holds (``clients.ClientPolicy``, a frozen dataclass)."""

    @property
    def max_attempts(self) -> int: ...
    @property
    def connect_timeout(self) -> float: ...
    @property
    def read_timeout(self) -> float: ...


P = TypeVar("P", bound=Policy)

# botocore.retries.standard: ExponentialBackoff(max_backoff=20), base 1 s, random jitter.
MAX_BACKOFF_SECONDS = 20.0
# API Gateway's integration timeout for REST APIs (default and usual quota).
API_GATEWAY_TIMEOUT_SECONDS = 29.0
# Kept back from a deadline to answer after the call gave up: translate the error, release
# the idempotency claim, write the problem (API) or record the failed job (worker).
API_MARGIN_SECONDS = 3.0
# The worker's margin covers recording a failed job and its webhook, whose sender retries
# on its own (``webhook_worst_case_seconds``: 5 attempts of 5 s, ≈ 65 s at worst).
WORKER_MARGIN_SECONDS = 75.0
# Below this, a model call cannot do useful work: fail at once rather than try.
MIN_READ_SECONDS = 1.0


def backoff_seconds(attempts: int) -> float:
    """The longest botocore sleeps in total between ``attempts`` attempts."""
    return sum(min(MAX_BACKOFF_SECONDS, 2.0**i) for i in range(max(0, attempts - 1)))


def worst_case_seconds(policy: Policy) -> float:
    """How long one call under ``policy`` can take before it gives up."""
    attempts = policy.max_attempts
    return attempts * (policy.connect_timeout + policy.read_timeout) + backoff_seconds(attempts)


def fit(policy: P, seconds: float) -> P | None:
    """``policy`` cut so that its worst case fits ``seconds``; ``None`` if no attempt fits.

    Attempts go first (a retry after a timeout would not finish anyway), then the read
    timeout, rounded down to whole seconds so few distinct clients are ever built.
    """
    if worst_case_seconds(policy) <= seconds:
        return policy
    for attempts in range(policy.max_attempts - 1, 0, -1):
        fewer = replace(policy, max_attempts=attempts)  # type: ignore[type-var]
        if worst_case_seconds(fewer) <= seconds:
            return fewer
    read = math.floor(seconds - policy.connect_timeout)
    if read < MIN_READ_SECONDS:
        return None
    return replace(  # type: ignore[type-var]
        policy, max_attempts=1, read_timeout=float(min(read, policy.read_timeout))
    )


def webhook_worst_case_seconds(
    attempts: int, timeout: float, backoff: float, max_backoff: float = 30.0
) -> float:
    """How long ``api/adapters/webhooks.py`` can take to give up on one callback: per
    attempt a connect and a read timeout, then a jittered backoff of up to twice
    ``backoff * 2 ** (attempt - 1)`` (capped at ``max_backoff``)."""
    sleeps = sum(min(2 * backoff * 2.0**i, max_backoff) for i in range(max(0, attempts - 1)))
    return attempts * 2 * timeout + sleeps


def api_deadline_seconds(elapsed: float, lambda_remaining: float) -> float:
    """Seconds the API's AWS calls may still use: API Gateway stops waiting at 29 s from
    the request, the Lambda at its timeout; both keep ``API_MARGIN_SECONDS`` to answer."""
    left = min(API_GATEWAY_TIMEOUT_SECONDS - elapsed, lambda_remaining)
    return max(0.0, left - API_MARGIN_SECONDS)


def worker_deadline_seconds(lambda_remaining: float) -> float:
    """Seconds a job's AWS calls may use in the worker: what is left of the invocation,
    less ``WORKER_MARGIN_SECONDS`` to record the outcome (a failed job, its webhook)."""
    return max(0.0, lambda_remaining - WORKER_MARGIN_SECONDS)
