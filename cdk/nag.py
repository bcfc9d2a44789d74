"""cdk-nag (v3) wiring: the AwsSolutions pack and reasoned acknowledgments.

Every acknowledgment goes through ``acknowledge`` so it carries a reason and is recorded
as construct metadata (``vitrine:nag-acknowledgment``), where tests and reviewers can list
them all (``acknowledgments``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from aws_cdk import Acknowledgment, Stack, Validations
from cdk_nag import AwsSolutionsChecks

if TYPE_CHECKING:
    from collections.abc import Iterable

    from constructs import IConstruct

METADATA_TYPE = "vitrine:nag-acknowledgment"
_MIN_REASON = 20


def add_nag_checks(app: IConstruct) -> None:
    """Run AwsSolutions on synth; unacknowledged findings fail it (``ValidationFailed``)."""
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))


def acknowledge(scope: IConstruct, rule_id: str, reason: str) -> None:
    """Acknowledge ``rule_id`` (e.g. ``AwsSolutions-IAM5[Action::s3:GetObject]``) on ``scope``
    and its children, for ``reason``."""
    if len(reason.strip()) < _MIN_REASON:
        raise ValueError(f"acknowledgment of {rule_id} needs a real reason, got {reason!r}")
    Validations.of(scope).acknowledge(Acknowledgment(id=rule_id, reason=reason))
    scope.node.add_metadata(METADATA_TYPE, {"id": rule_id, "reason": reason})


def flatten_reference(node: object) -> str:
    """A resolved CloudFormation value as cdk-nag prints it in finding ids
    (``{"Ref": "AWS::Region"}`` → ``<AWS::Region>``; cdk-nag's ``flattenCfnReference``)."""
    if node is None:
        return ""
    if isinstance(node, str):
        return node.replace("${", "<").replace("}", ">")
    if isinstance(node, dict):
        if "Fn::Join" in node:
            delimiter, items = node["Fn::Join"]
            return str(delimiter).join(flatten_reference(item) for item in items)
        if "Fn::Sub" in node:
            return flatten_reference(node["Fn::Sub"])
        if "Fn::GetAtt" in node:
            resource, attribute = node["Fn::GetAtt"]
            return f"<{flatten_reference(resource)}.{flatten_reference(attribute)}>"
        if "Fn::ImportValue" in node:
            return flatten_reference(node["Fn::ImportValue"])
        if "Ref" in node:
            return f"<{flatten_reference(node['Ref'])}>"
    return json.dumps(node, separators=(",", ":"))


def acknowledge_wildcard_resources(
    scope: IConstruct, resources: Iterable[str], reason: str
) -> list[str]:
    """Acknowledge AwsSolutions-IAM5 for exactly these granted resources (those holding a
    ``*``) on ``scope``; return the finding ids. A wildcard granted later, elsewhere, still
    fails the check."""
    stack = Stack.of(scope)
    ids = sorted(
        {
            f"AwsSolutions-IAM5[Resource::{flat}]"
            for flat in (flatten_reference(stack.resolve(resource)) for resource in resources)
            if "*" in flat
        }
    )
    for rule_id in ids:
        acknowledge(scope, rule_id, reason)
    return ids


def acknowledgments(root: IConstruct) -> list[tuple[str, str, str]]:
    """Every acknowledgment under ``root``: ``(construct path, rule id, reason)``."""
    found: list[tuple[str, str, str]] = []
    for construct in root.node.find_all():
        for entry in construct.node.metadata:
            if entry.type == METADATA_TYPE:
                found.append((construct.node.path, entry.data["id"], entry.data["reason"]))
    return found
