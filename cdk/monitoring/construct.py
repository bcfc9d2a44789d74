"""Alarms to one encrypted SNS topic, and a dashboard with a row per watched thing.

Each ``watch_*`` method adds the alarms for one kind of resource and the graphs that
explain them, so an alarm and its context always arrive together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import Aws, Duration, RemovalPolicy
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

if TYPE_CHECKING:
    from aws_cdk import aws_apigateway as apigw
    from aws_cdk import aws_lambda as lambda_
    from aws_cdk import aws_sqs as sqs

FIVE_MINUTES = Duration.minutes(5)
GT = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD
GTE = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
WIDGET_WIDTH = 8


class ServiceMonitor(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, dashboard_name: str, alarm_email: str = ""
    ) -> None:
        super().__init__(scope, construct_id)
        # CloudWatch publishes to an encrypted topic only if the key lets it.
        key = kms.Key(
            self,
            "TopicKey",
            description="Vitrine alarm notifications",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        key.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey"],
                resources=["*"],  # in a key policy, "*" is this key
            )
        )
        self.topic = sns.Topic(self, "Alarms", master_key=key, enforce_ssl=True)
        # enforce_ssl writes a topic policy, which replaces SNS's default one: without this
        # statement CloudWatch may not publish, and every alarm notification is dropped.
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchAlarmsPublish",
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions={
                    "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID},
                    "ArnLike": {
                        "aws:SourceArn": (
                            f"arn:{Aws.PARTITION}:cloudwatch:{Aws.REGION}:{Aws.ACCOUNT_ID}:alarm:*"
                        )
                    },
                },
            )
        )
        if alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(alarm_email))
        self.dashboard = cloudwatch.Dashboard(self, "Dashboard", dashboard_name=dashboard_name)
        self.alarms: list[cloudwatch.Alarm] = []

    def _alarm(
        self,
        construct_id: str,
        *,
        metric: cloudwatch.IMetric,
        threshold: float,
        description: str,
        comparison: cloudwatch.ComparisonOperator = GTE,
        periods: int = 3,
        datapoints: int = 2,
    ) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            metric=metric,
            threshold=threshold,
            comparison_operator=comparison,
            evaluation_periods=periods,
            datapoints_to_alarm=datapoints,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=description,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        alarm.add_ok_action(actions.SnsAction(self.topic))
        self.alarms.append(alarm)
        return alarm

    def _graph(self, title: str, *metrics: cloudwatch.IMetric) -> cloudwatch.GraphWidget:
        return cloudwatch.GraphWidget(title=title, left=list(metrics), width=WIDGET_WIDTH)

    def watch_api(self, name: str, stage: apigw.Stage, *, max_5xx_rate: float = 0.05) -> None:
        # 5XXError is 0 or 1 per request, so its average is the error rate.
        rate = stage.metric_server_error(statistic="Average", period=FIVE_MINUTES)
        self._alarm(
            f"{name}5xxRate",
            metric=rate,
            threshold=max_5xx_rate,
            comparison=GT,
            description=f"{name} API: more than {max_5xx_rate:.0%} of requests fail with 5xx",
        )
        self.dashboard.add_widgets(
            self._graph(f"{name} API requests", stage.metric_count(period=FIVE_MINUTES)),
            self._graph(
                f"{name} API errors",
                stage.metric_client_error(period=FIVE_MINUTES),
                stage.metric_server_error(period=FIVE_MINUTES),
            ),
            self._graph(f"{name} API latency p90", stage.metric_latency(statistic="p90")),
        )

    def watch_function(self, name: str, function: lambda_.IFunction) -> None:
        errors = function.metric_errors(period=FIVE_MINUTES, statistic="Sum")
        throttles = function.metric_throttles(period=FIVE_MINUTES, statistic="Sum")
        self._alarm(
            f"{name}Errors",
            metric=errors,
            threshold=1,
            description=f"Lambda {name} raised errors in two of three 5-minute periods",
        )
        self._alarm(
            f"{name}Throttles",
            metric=throttles,
            threshold=1,
            periods=1,
            datapoints=1,
            description=f"Lambda {name} was throttled (concurrency limit)",
        )
        self.dashboard.add_widgets(
            self._graph(f"{name} invocations", function.metric_invocations(period=FIVE_MINUTES)),
            self._graph(f"{name} errors / throttles", errors, throttles),
            self._graph(f"{name} duration p90", function.metric_duration(statistic="p90")),
        )

    def watch_dead_letters(self, name: str, queue: sqs.IQueue) -> None:
        depth = queue.metric_approximate_number_of_messages_visible(
            period=FIVE_MINUTES, statistic="Maximum"
        )
        self._alarm(
            f"{name}Depth",
            metric=depth,
            threshold=1,
            periods=1,
            datapoints=1,
            description=f"{name}: messages that failed every retry are waiting",
        )
        self.dashboard.add_widgets(self._graph(f"{name} depth", depth))

    def watch_failed_webhooks(self, *, service: str, namespace: str = "Vitrine") -> None:
        """Deliveries the webhook sender gave up on (the metric it counts, per service)."""
        failed = cloudwatch.Metric(
            namespace=namespace,
            metric_name="Webhooks_failed",
            dimensions_map={"service": service},
            statistic="Sum",
            period=FIVE_MINUTES,
        )
        self._alarm(
            "WebhooksFailed",
            metric=failed,
            threshold=1,
            periods=1,
            datapoints=1,
            description="Webhook deliveries failed after every attempt (jobs show 'failed')",
        )
        self.dashboard.add_widgets(self._graph("Webhooks failed", failed))

    def watch_endpoint_latency(self, name: str, endpoint_name: str, *, max_ms: float) -> None:
        # ModelLatency is in microseconds.
        latency = cloudwatch.Metric(
            namespace="AWS/SageMaker",
            metric_name="ModelLatency",
            dimensions_map={"EndpointName": endpoint_name, "VariantName": "AllTraffic"},
            statistic="p90",
            period=FIVE_MINUTES,
        )
        invocations = cloudwatch.Metric(
            namespace="AWS/SageMaker",
            metric_name="Invocations",
            dimensions_map={"EndpointName": endpoint_name, "VariantName": "AllTraffic"},
            statistic="Sum",
            period=FIVE_MINUTES,
        )
        self._alarm(
            f"{name}ModelLatency",
            metric=latency,
            threshold=max_ms * 1000,
            comparison=GT,
            description=f"{name} endpoint: p90 model latency above {max_ms:.0f} ms",
        )
        self.dashboard.add_widgets(
            self._graph(f"{name} model latency p90 (µs)", latency),
            self._graph(f"{name} invocations", invocations),
        )

    def watch_async_backlog(
        self, name: str, *, backlog: cloudwatch.IMetric, max_backlog: float
    ) -> None:
        self._alarm(
            f"{name}Backlog",
            metric=backlog,
            threshold=max_backlog,
            comparison=GT,
            description=f"{name}: async backlog above {max_backlog:.0f} requests",
        )
        self.dashboard.add_widgets(self._graph(f"{name} async backlog", backlog))
