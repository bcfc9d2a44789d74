"""cdk-nag AwsSolutions: the shared app synthesized with the checks on (an unacknowledged
finding would have failed the fixture); the checks are really active; every
acknowledgment names a reviewed rule and gives a reason."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_s3 as s3

from cdk.nag import acknowledge, acknowledgments, add_nag_checks, flatten_reference

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Synthesized

# The only AwsSolutions rules Vitrine acknowledges anywhere (reasons in cdk/): a new kind
# of exception must be added here on purpose, after review.
REVIEWED_RULES = {
    "AwsSolutions-IAM5",  # wildcard resources, each acknowledged by its exact finding
    "AwsSolutions-APIG4",  # public health/OpenAPI routes, partner routes on API keys
    "AwsSolutions-COG4",  # same methods: not Cognito by design
    "AwsSolutions-L1",  # Python 3.11 to match the asset's wheels
    "AwsSolutions-SMG4",  # webhook secret shared with partners: manual rotation
    "AwsSolutions-S1",  # the access-log bucket does not log into itself
}


def test_synth_passed_the_checks(synthesized: Synthesized) -> None:
    report_path = synthesized.outdir / "validation-report.json"
    reports = json.loads(report_path.read_text())["pluginReports"] if report_path.exists() else []
    for report in reports:
        # Only the construct annotations report may have entries (the code-only warning).
        assert report["pluginName"] == "Construct Annotations" or not report["violations"]
        for violation in report["violations"]:
            assert violation["severity"] == "warning"


def test_acknowledgments_are_reviewed_and_reasoned(synthesized: Synthesized) -> None:
    found = acknowledgments(synthesized.app)
    assert len(found) > 20
    for path, rule_id, reason in found:
        assert re.sub(r"\[.*\]$", "", rule_id) in REVIEWED_RULES, (path, rule_id)
        assert len(reason) >= 40, (path, rule_id)
    # Wildcard resources are acknowledged one finding at a time, never the rule as a whole.
    assert not [p for p, rule, _ in found if rule == "AwsSolutions-IAM5"]


def test_the_checks_are_active(tmp_path: Path) -> None:
    """Negative control: a bucket without TLS enforcement or logging fails synth."""
    app = App(outdir=str(tmp_path))
    stack = Stack(app, "Unsafe")
    s3.Bucket(stack, "Open")
    add_nag_checks(app)
    with pytest.raises(Exception, match="ValidationFailed|Validation failed"):
        app.synth()


def test_acknowledged_findings_do_not_fail(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path))
    stack = Stack(app, "Acknowledged")
    bucket = s3.Bucket(stack, "Logs", enforce_ssl=True)
    acknowledge(bucket, "AwsSolutions-S1", "test: the bucket stands for an access-log bucket")
    add_nag_checks(app)
    app.synth()


def test_acknowledge_refuses_an_empty_reason(tmp_path: Path) -> None:
    stack = Stack(App(outdir=str(tmp_path)), "S")
    with pytest.raises(ValueError, match="reason"):
        acknowledge(stack, "AwsSolutions-S1", "because")


def test_flatten_reference_matches_cdk_nag() -> None:
    joined = {
        "Fn::Join": [
            "",
            ["arn:", {"Ref": "AWS::Partition"}, ":s3:::b-", {"Ref": "AWS::AccountId"}, "/*"],
        ]
    }
    assert flatten_reference(joined) == "arn:<AWS::Partition>:s3:::b-<AWS::AccountId>/*"
    assert flatten_reference({"Fn::GetAtt": ["Queue", "Arn"]}) == "<Queue.Arn>"
    assert flatten_reference({"Fn::ImportValue": "Stack:Export"}) == "Stack:Export"
