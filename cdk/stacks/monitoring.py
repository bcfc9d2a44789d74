"""Monitoring: alarms (API 5xx rate, Lambda errors and throttles, dead letters, model
latency, async backlog) to an SNS topic, and a CloudWatch dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_cdk import CfnOutput, Duration, Stack

from cdk.functions.construct import POWERTOOLS_ENVIRONMENT
from cdk.monitoring.construct import ServiceMonitor

if TYPE_CHECKING:
    from constructs import Construct

    from cdk.config import DeployConfig
    from cdk.stacks.api import ApiStack
    from cdk.stacks.models import ModelsStack

# p90 model latency budgets (ms) per real-time endpoint.
LATENCY_BUDGET_MS = {"Segmentation": 3_000, "Attributes": 8_000, "Avatar": 45_000}
MAX_TRYON_BACKLOG = 50


class MonitoringStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: DeployConfig,
        models: ModelsStack,
        api: ApiStack,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        monitor = ServiceMonitor(
            self,
            "Monitor",
            dashboard_name=f"{config.stack_prefix}-service",
            alarm_email=config.alarm_email,
        )
        monitor.watch_api("Frontend", api.frontend.stage)
        monitor.watch_api("Partner", api.partner.stage)
        for name, function in api.functions.items():
            monitor.watch_function("".join(p.title() for p in name.split("_")), function.function)
        monitor.watch_dead_letters("JobsDeadLetters", api.jobs.dead_letter_queue)
        monitor.watch_dead_letters("EventFailures", api.event_failures)
        monitor.watch_dead_letters("WebhooksDeadLetters", api.webhooks.dead_letter_queue)
        monitor.watch_failed_webhooks(
            service=POWERTOOLS_ENVIRONMENT["POWERTOOLS_SERVICE_NAME"],
            namespace=POWERTOOLS_ENVIRONMENT["POWERTOOLS_METRICS_NAMESPACE"],
        )
        endpoints = {
            "Segmentation": models.segmentation,
            "Attributes": models.attributes,
            "Avatar": models.avatar,
        }
        for name, endpoint in endpoints.items():
            monitor.watch_endpoint_latency(
                name, endpoint.endpoint_name, max_ms=LATENCY_BUDGET_MS[name]
            )
        monitor.watch_async_backlog(
            "TryOn",
            backlog=models.tryon.metric("ApproximateBacklogSize").with_(period=Duration.minutes(5)),
            max_backlog=MAX_TRYON_BACKLOG,
        )
        monitor.watch_async_backlog(
            "Generation",
            backlog=models.generation.metric("ApproximateBacklogSize").with_(
                period=Duration.minutes(5)),
            max_backlog=MAX_TRYON_BACKLOG,
        )
        self.monitor = monitor
        CfnOutput(self, "AlarmTopicArn", value=monitor.topic.topic_arn)
