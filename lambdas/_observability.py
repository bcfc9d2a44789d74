"""Powertools Logger, Metrics and Tracer, created once per execution environment.

Only the worker and notification Lambdas import this; the API Lambda's cold path does
not. ``POWERTOOLS_*`` environment variables (set by CDK) override these defaults.
"""

from __future__ import annotations

import os

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "vitrine")

logger = Logger(service=SERVICE)
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "Vitrine"))
tracer = Tracer(service=SERVICE)


def count(name: str, value: int = 1) -> None:
    """Add ``value`` to the count metric ``name`` (flushed by ``@metrics.log_metrics``)."""
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
