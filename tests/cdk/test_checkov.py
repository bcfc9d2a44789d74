"""checkov (the IaC scanner, run as a subprocess from its own venv, ``.venv/checkov``) over
the synthesized templates: no failed check that is not acknowledged, with a reason, in
``cdk/checkov_acknowledgments.py``; the checks are really active; the findings that had a
fix stay fixed."""

from __future__ import annotations

import json
import os
import subprocess
from typing import TYPE_CHECKING, Any

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_sqs as sqs
from conftest import REPO_ROOT, STACKS

from cdk.checkov_skips import acknowledge_check, cfn_resource, check_acknowledgments

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Synthesized

CHECKOV = REPO_ROOT / ".venv" / "checkov" / "bin" / "checkov"
# The only checks Vitrine accepts failing (reasons in cdk/checkov_acknowledgments.py): a
# new kind of exception must be added here on purpose, after review.
REVIEWED_CHECKS = {
    "CKV_AWS_18",  # access logging: the access-log bucket itself
    "CKV_AWS_21",  # versioning: uploads and results (erasure must erase)
    "CKV_AWS_27",  # SQS: SSE-SQS, which the check does not recognize
    "CKV_AWS_59",  # public routes: health, OpenAPI, docs
    "CKV_AWS_115",  # reserved concurrency
    "CKV_AWS_116",  # function DLQ on synchronously / SQS-invoked functions
    "CKV_AWS_117",  # Lambda in a VPC
    "CKV_AWS_120",  # API Gateway caching
    "CKV_AWS_370",  # SageMaker network isolation: adapter-loading models, in the adapter VPC
}


def run_checkov(templates: list[Path]) -> dict[str, Any]:
    """checkov's JSON report over ``templates`` (CloudFormation checks, offline)."""
    if not CHECKOV.exists():
        pytest.fail(f"{CHECKOV} missing: `make .venv/.installed` builds it (cdk/checkov-*.txt)")
    files = [arg for template in templates for arg in ("-f", str(template))]
    completed = subprocess.run(
        [str(CHECKOV), "--framework", "cloudformation", "--skip-download", "-o", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "LOG_LEVEL": "ERROR"},
        check=False,
    )
    assert completed.returncode in (0, 1), completed.stderr[-4000:]
    report = json.loads(completed.stdout)
    (cloudformation,) = report if isinstance(report, list) else [report]
    assert cloudformation["check_type"] == "cloudformation"
    return dict(cloudformation)


def _found(checks: list[dict[str, Any]]) -> list[str]:
    return sorted(f"{c['check_id']} {c['resource']} ({c['file_path']})" for c in checks)


def test_templates_pass_checkov(synthesized: Synthesized) -> None:
    report = run_checkov([synthesized.template_path(name) for name in STACKS])
    summary, results = report["summary"], report["results"]
    assert summary["parsing_errors"] == 0
    assert summary["failed"] == 0, "\n".join(_found(results["failed_checks"]))
    assert summary["passed"] > 200  # the checks ran on every stack
    skipped = results["skipped_checks"]
    # Every skip comes from an acknowledgment of a reviewed check, with its reason.
    acknowledged = check_acknowledgments(synthesized.app)
    assert len(skipped) == len(acknowledged)
    for check in skipped:
        assert check["check_id"] in REVIEWED_CHECKS, _found([check])
        assert len(check["check_result"]["suppress_comment"]) >= 40, _found([check])
    assert {check_id for _, check_id, _ in acknowledged} <= REVIEWED_CHECKS


def test_the_checks_are_active(tmp_path: Path) -> None:
    """Negative control: an unacknowledged finding fails, an acknowledged one is skipped."""
    app = App(outdir=str(tmp_path))
    stack = Stack(app, "Control")
    plain = sqs.Queue(stack, "Plain", encryption=sqs.QueueEncryption.SQS_MANAGED)
    acknowledged = sqs.Queue(stack, "Accepted", encryption=sqs.QueueEncryption.SQS_MANAGED)
    plain_id, accepted_id = (
        stack.get_logical_id(cfn_resource(queue)) for queue in (plain, acknowledged)
    )
    acknowledge_check(acknowledged, "CKV_AWS_27", "test: stands for a queue reviewed as SSE-SQS")
    app.synth()
    report = run_checkov([tmp_path / "Control.template.json"])
    failed = [(c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]]
    skipped = [(c["check_id"], c["resource"]) for c in report["results"]["skipped_checks"]]
    assert ("CKV_AWS_27", f"AWS::SQS::Queue.{plain_id}") in failed
    assert skipped == [("CKV_AWS_27", f"AWS::SQS::Queue.{accepted_id}")]


def test_acknowledge_check_refuses_vague_ones(tmp_path: Path) -> None:
    stack = Stack(App(outdir=str(tmp_path)), "S")
    queue = sqs.Queue(stack, "Q")
    with pytest.raises(ValueError, match="reason"):
        acknowledge_check(queue, "CKV_AWS_27", "because")
    with pytest.raises(ValueError, match="check id"):
        acknowledge_check(queue, "AwsSolutions-S1", "a long enough reason that names no check")
    acknowledge_check(queue, "CKV_AWS_27", "test: the first acknowledgment of this check")
    with pytest.raises(ValueError, match="already"):
        acknowledge_check(queue, "CKV_AWS_27", "test: the same check acknowledged twice over")
    with pytest.raises(TypeError):
        acknowledge_check(stack, "CKV_AWS_27", "test: a stack is not a CloudFormation resource")


def test_log_groups_are_encrypted_with_the_logs_key(synthesized: Synthesized) -> None:
    keys = synthesized.resources("Api", "AWS::KMS::Key")
    log_groups = synthesized.resources("Api", "AWS::Logs::LogGroup")
    assert len(log_groups) == 12  # eight functions, two stages' access logs, two web ACLs
    used = {group["Properties"]["KmsKeyId"]["Fn::GetAtt"][0] for group in log_groups.values()}
    (key_id,) = used
    key = keys[key_id]["Properties"]
    assert key["EnableKeyRotation"] is True
    (logs_statement,) = [
        s for s in key["KeyPolicy"]["Statement"] if s.get("Sid") == "CloudWatchLogsOfThisAccount"
    ]
    assert logs_statement["Principal"]["Service"]["Fn::Join"][1][0] == "logs."
    assert "kms:EncryptionContext:aws:logs:arn" in logs_statement["Condition"]["ArnLike"]


def test_access_log_bucket_is_versioned(synthesized: Synthesized) -> None:
    buckets = synthesized.resources("Storage", "AWS::S3::Bucket")
    (access_logs,) = [
        b["Properties"] for b in buckets.values() if "LoggingConfiguration" not in b["Properties"]
    ]
    assert access_logs["VersioningConfiguration"] == {"Status": "Enabled"}
    assert {
        "Id": "expire-noncurrent",
        "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
        "Status": "Enabled",
    } in access_logs["LifecycleConfiguration"]["Rules"]
