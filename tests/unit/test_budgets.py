"""Time budget arithmetic (api/adapters/aws/budgets.py): worst cases and fitting them."""

from __future__ import annotations

import pytest

from api.adapters.aws.budgets import (
    API_GATEWAY_TIMEOUT_SECONDS,
    API_MARGIN_SECONDS,
    WORKER_MARGIN_SECONDS,
    api_deadline_seconds,
    backoff_seconds,
    fit,
    webhook_worst_case_seconds,
    worker_deadline_seconds,
    worst_case_seconds,
)
from api.adapters.aws.clients import ClientPolicy
from api.settings import Settings

MODEL = ClientPolicy(region="eu-west-1", max_attempts=3, connect_timeout=3.0, read_timeout=60.0)


def test_backoff_is_botocores_capped_exponential():
    assert backoff_seconds(1) == 0
    assert backoff_seconds(3) == 1 + 2
    assert backoff_seconds(8) == 1 + 2 + 4 + 8 + 16 + 20 + 20


def test_the_old_api_budget_did_not_fit_api_gateway():
    """25 s read x 3 attempts: a gateway 504 long before the app could answer."""
    old = ClientPolicy(region=None, max_attempts=3, connect_timeout=3.0, read_timeout=25.0)
    assert worst_case_seconds(old) == 3 * 28 + 3 > API_GATEWAY_TIMEOUT_SECONDS


def test_worker_model_call_worst_case():
    assert worst_case_seconds(MODEL) == 3 * 63 + 3


@pytest.mark.parametrize("seconds", [300.0, 192.0, 150.0, 100.0, 63.0, 26.0, 10.0, 4.5])
def test_fit_never_exceeds_the_time_left(seconds):
    fitted = fit(MODEL, seconds)
    assert fitted is not None
    assert worst_case_seconds(fitted) <= seconds
    assert fitted.read_timeout <= MODEL.read_timeout
    assert fitted.max_attempts <= MODEL.max_attempts


def test_fit_drops_attempts_before_shortening_the_read_timeout():
    assert fit(MODEL, 192.0) == MODEL
    two = fit(MODEL, 150.0)
    assert two is not None and (two.max_attempts, two.read_timeout) == (2, 60.0)
    one = fit(MODEL, 26.0)
    assert one is not None and (one.max_attempts, one.read_timeout) == (1, 23.0)


def test_fit_gives_up_when_not_even_one_short_attempt_fits():
    assert fit(MODEL, 3.5) is None


def test_api_deadline_counts_from_the_request_and_keeps_a_margin():
    assert api_deadline_seconds(0.0, 29.0) == API_GATEWAY_TIMEOUT_SECONDS - API_MARGIN_SECONDS
    assert api_deadline_seconds(10.0, 29.0) == 29.0 - 10.0 - API_MARGIN_SECONDS
    assert api_deadline_seconds(0.0, 5.0) == 5.0 - API_MARGIN_SECONDS  # the Lambda ends first
    assert api_deadline_seconds(28.0, 29.0) == 0.0


def test_worker_deadline_keeps_time_to_record_the_outcome():
    assert worker_deadline_seconds(300.0) == 300.0 - WORKER_MARGIN_SECONDS
    assert worker_deadline_seconds(5.0) == 0.0


def test_the_worker_margin_covers_a_failed_jobs_webhook():
    """After a model call used its whole budget, the job is recorded failed (a few table
    writes) and its webhook sent, retries included, before the Lambda ends."""
    settings = Settings()
    webhook = webhook_worst_case_seconds(
        settings.webhook_max_attempts,
        settings.webhook_timeout_seconds,
        settings.webhook_backoff_seconds,
    )
    assert webhook + 5.0 <= WORKER_MARGIN_SECONDS
