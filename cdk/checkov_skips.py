"""checkov acknowledgments, the way ``cdk/nag.py`` does them for cdk-nag.

checkov reads a resource's suppressions from its template metadata
(``Metadata: {checkov: {skip: [{id, comment}]}}``). ``acknowledge_check`` writes one on
the CloudFormation resource behind a construct, with its reason, and records it as
construct metadata (``vitrine:checkov-acknowledgment``) so that tests and reviewers can
list them all (``check_acknowledgments``). Every acknowledgment of the app is made in one
module, ``cdk/checkov_acknowledgments.py``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from aws_cdk import CfnResource

if TYPE_CHECKING:
    from constructs import IConstruct

METADATA_TYPE = "vitrine:checkov-acknowledgment"
_MIN_REASON = 40
_CHECK_ID = re.compile(r"CKV2?_AWS_[0-9]+\Z")


def cfn_resource(scope: IConstruct) -> CfnResource:
    """``scope`` itself if it is a CloudFormation resource, else its default child."""
    resource = scope if isinstance(scope, CfnResource) else scope.node.default_child
    if not isinstance(resource, CfnResource):
        raise TypeError(f"{scope.node.path} is not a CloudFormation resource, nor wraps one")
    return resource


def acknowledge_check(scope: IConstruct, check_id: str, reason: str) -> None:
    """Skip checkov's ``check_id`` (e.g. ``CKV_AWS_27``) on the resource behind ``scope``,
    for ``reason``."""
    if not _CHECK_ID.match(check_id):
        raise ValueError(f"not a checkov AWS check id: {check_id!r}")
    if len(reason.strip()) < _MIN_REASON:
        raise ValueError(f"acknowledgment of {check_id} needs a real reason, got {reason!r}")
    resource = cfn_resource(scope)
    existing = resource.get_metadata("checkov") or {}
    skips = list(existing.get("skip", []))
    if any(skip["id"] == check_id for skip in skips):
        raise ValueError(f"{check_id} is already acknowledged on {resource.node.path}")
    skips.append({"id": check_id, "comment": reason})
    resource.add_metadata("checkov", {**existing, "skip": skips})
    resource.node.add_metadata(METADATA_TYPE, {"id": check_id, "reason": reason})


def check_acknowledgments(root: IConstruct) -> list[tuple[str, str, str]]:
    """Every checkov acknowledgment under ``root``: ``(construct path, check id, reason)``."""
    return [
        (construct.node.path, entry.data["id"], entry.data["reason"])
        for construct in root.node.find_all()
        for entry in construct.node.metadata
        if entry.type == METADATA_TYPE
    ]
