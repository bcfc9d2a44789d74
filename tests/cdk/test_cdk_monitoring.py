"""Monitoring stack: the alarms that page, where they go, and the dashboard."""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import Synthesized


def _alarms(synthesized: Synthesized) -> list[dict[str, Any]]:
    return [
        a["Properties"]
        for a in synthesized.resources("Monitoring", "AWS::CloudWatch::Alarm").values()
    ]


def test_alarm_coverage(synthesized: Synthesized) -> None:
    by_metric = Counter(alarm["MetricName"] for alarm in _alarms(synthesized))
    assert by_metric == {
        "5XXError": 2,  # frontend and partner APIs
        "Errors": 8,  # each Lambda
        "Throttles": 8,
        "ApproximateNumberOfMessagesVisible": 3,  # jobs and webhooks DLQs, event failures
        "ModelLatency": 3,  # the real-time endpoints
        "ApproximateBacklogSize": 2,  # the async try-on and generation endpoints
        "Webhooks_failed": 1,  # deliveries given up after every attempt
    }


def test_failed_webhooks_alarm_on_the_metric_the_sender_emits(synthesized: Synthesized) -> None:
    """The name and dimension Powertools gives the sender's ``count("Webhooks_failed")``
    with the functions' POWERTOOLS_* environment (namespace, service)."""
    from lambdas.webhook_sender import FAILED_METRIC

    (alarm,) = [a for a in _alarms(synthesized) if a["MetricName"] == FAILED_METRIC]
    functions = synthesized.resources("Api", "AWS::Lambda::Function").values()
    variables = next(iter(functions))["Properties"]["Environment"]["Variables"]
    assert alarm["Namespace"] == variables["POWERTOOLS_METRICS_NAMESPACE"]
    assert alarm["Dimensions"] == [
        {"Name": "service", "Value": variables["POWERTOOLS_SERVICE_NAME"]}
    ]
    assert alarm["Threshold"] == 1 and alarm["EvaluationPeriods"] == 1


def test_api_alarm_is_a_rate(synthesized: Synthesized) -> None:
    for alarm in _alarms(synthesized):
        if alarm["MetricName"] == "5XXError":
            # 5XXError is 0/1 per request: its average is the share of failing requests.
            assert alarm["Statistic"] == "Average"
            assert 0 < alarm["Threshold"] < 1
            assert {d["Name"] for d in alarm["Dimensions"]} == {"ApiName", "Stage"}


def test_every_alarm_notifies_the_encrypted_topic(synthesized: Synthesized) -> None:
    ((topic_id, topic),) = synthesized.resources("Monitoring", "AWS::SNS::Topic").items()
    ((key_id, key),) = synthesized.resources("Monitoring", "AWS::KMS::Key").items()
    assert topic["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    # CloudWatch may use the key, or its notifications to the topic would be dropped.
    statements = key["Properties"]["KeyPolicy"]["Statement"]
    assert any(s.get("Principal") == {"Service": "cloudwatch.amazonaws.com"} for s in statements)
    for alarm in _alarms(synthesized):
        assert alarm["AlarmActions"] == [{"Ref": topic_id}]
        assert alarm["OKActions"] == [{"Ref": topic_id}]
        assert alarm["TreatMissingData"] == "notBreaching"
    (subscription,) = synthesized.resources("Monitoring", "AWS::SNS::Subscription").values()
    assert subscription["Properties"]["Endpoint"] == synthesized.context["vitrine:alarmEmail"]


def test_dashboard_graphs_what_the_alarms_watch(synthesized: Synthesized) -> None:
    (dashboard,) = synthesized.resources("Monitoring", "AWS::CloudWatch::Dashboard").values()
    body = json.dumps(dashboard["Properties"]["DashboardBody"])
    for metric in {alarm["MetricName"] for alarm in _alarms(synthesized)}:
        assert metric in body, metric


def test_cloudwatch_may_publish_to_the_tls_only_topic(synthesized: Synthesized) -> None:
    """The topic policy (written by enforce_ssl) replaces SNS's default: it must allow
    cloudwatch.amazonaws.com to publish (this account's alarms) and still deny plain HTTP."""
    ((topic_id, _),) = synthesized.resources("Monitoring", "AWS::SNS::Topic").items()
    (policy,) = synthesized.resources("Monitoring", "AWS::SNS::TopicPolicy").values()
    assert policy["Properties"]["Topics"] == [{"Ref": topic_id}]
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    allows = [
        s for s in statements
        if s["Effect"] == "Allow"
        and s.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}
        and "sns:Publish" in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
    ]
    (allow,) = allows
    assert allow["Resource"] == {"Ref": topic_id}
    assert set(allow["Condition"]) == {"StringEquals", "ArnLike"}
    assert any(
        s["Effect"] == "Deny" and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
        for s in statements
    )
