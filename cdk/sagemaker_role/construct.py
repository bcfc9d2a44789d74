"""An IAM role SageMaker assumes (endpoints or training jobs) with only what any such
job needs: its own log groups, its metric namespace, and pulling its images. Data access
is granted by the stack."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_iam as iam
from constructs import Construct

from cdk.grants import grant_image_pull, grant_log_groups, grant_metrics

if TYPE_CHECKING:
    from collections.abc import Sequence


class SageMakerRole(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        description: str,
        image_repository_arns: Sequence[str],
        log_group_prefix: str,
        metric_namespace: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"),
            description=description,
        )
        # Granted on patterns or "*" (no narrower ARN exists); the stack acknowledges them.
        self.wildcard_resources = [
            *grant_log_groups(self.role, log_group_prefix=log_group_prefix),
            *grant_metrics(self.role, namespaces=[metric_namespace]),
            *grant_image_pull(self.role, image_repository_arns),
        ]
