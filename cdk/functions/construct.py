"""A Python Lambda function running the ``api``/``lambdas`` code asset.

Every function uses the same runtime and architecture as the asset build
(``scripts/build_lambda_asset.py``: cp313, manylinux_2_28/2014 x86_64 wheels; python3.13
runs on Amazon Linux 2023, supported to 2029), its own role (no managed
policies: logs to its own log group only), a log group encrypted with the logs key, JSON
logs, X-Ray tracing and an environment encrypted with the data key. Grants beyond that
come from the stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

if TYPE_CHECKING:
    from collections.abc import Mapping

    from aws_cdk import aws_kms as kms
    from aws_cdk import aws_sqs as sqs

RUNTIME = lambda_.Runtime.PYTHON_3_13
ARCHITECTURE = lambda_.Architecture.X86_64
# Powertools reads these; the service name tags every log line and metric.
POWERTOOLS_ENVIRONMENT = {
    "POWERTOOLS_SERVICE_NAME": "vitrine",
    "POWERTOOLS_METRICS_NAMESPACE": "Vitrine",
}


class PythonFunction(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        code: lambda_.Code,
        handler: str,
        description: str,
        environment: Mapping[str, str],
        environment_key: kms.IKey,
        log_retention: logs.RetentionDays,
        log_key: kms.IKey,
        memory_mb: int = 1024,
        timeout: Duration = Duration.seconds(30),
        dead_letter_queue: sqs.IQueue | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.log_group = logs.LogGroup(
            self,
            "Logs",
            retention=log_retention,
            encryption_key=log_key,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Vitrine Lambda {construct_id}",
        )
        self.function = lambda_.Function(
            self,
            "Function",
            code=code,
            handler=handler,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            description=description,
            memory_size=memory_mb,
            timeout=timeout,
            role=self.role,
            log_group=self.log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            tracing=lambda_.Tracing.ACTIVE,
            environment={**POWERTOOLS_ENVIRONMENT, **environment},
            environment_encryption=environment_key,
            dead_letter_queue=dead_letter_queue,
        )
        # The role writes only to this function's log group, and reads its own environment.
        self.log_group.grant_write(self.role)
        environment_key.grant(self.role, "kms:Decrypt")
