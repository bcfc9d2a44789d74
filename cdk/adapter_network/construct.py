"""The adapter network: where endpoints that fetch tenant adapters from S3 run.

SageMaker network isolation forbids a container every outbound call, S3 included, so the
endpoints that load tenant adapters by key at request time (generation, try-on with a
style model, attributes with an attribute model) run with ``EnableNetworkIsolation:
false`` inside this VPC instead, and nowhere else can they reach:

- only isolated subnets (no internet or NAT gateway: no route out of the VPC);
- an S3 gateway endpoint, the subnets' one route to S3, whose policy allows
  ``s3:GetObject`` on the models bucket's adapter object patterns and nothing else (no
  other bucket, no write, no listing);
- a security group whose only egress is HTTPS to the regional S3 prefix list.

Model data stays weights-only and nothing installs at boot (the image holds the code and
the lock); SageMaker itself downloads the model data and pulls the image, outside this
network. Flow logs record every accepted and rejected connection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import Annotations, RemovalPolicy, Stack, Token
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from constructs import Construct

from cdk.logs_key.construct import LogsKey

if TYPE_CHECKING:
    from collections.abc import Sequence

    from aws_cdk import aws_s3 as s3

# Used only by an offline synth (no account/region): a deploy resolves the real id.
OFFLINE_PREFIX_LIST = "pl-00000000"
HTTPS = 443


class AdapterNetwork(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        bucket: s3.IBucket,
        object_patterns: Sequence[str],
        s3_prefix_list_id: str = "",
        log_retention: logs.RetentionDays = logs.RetentionDays.THREE_MONTHS,
        max_azs: int = 2,
    ) -> None:
        super().__init__(scope, construct_id)
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            max_azs=max_azs,
            nat_gateways=0,
            subnet_configuration=[
                ec2.SubnetConfiguration(
                    name="Isolated", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=24
                )
            ],
            # No custom resource: the endpoints use their own group, never the default.
            restrict_default_security_group=False,
        )
        isolated = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
        self.subnets = self.vpc.select_subnets(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
        self.object_arns = [bucket.arn_for_objects(pattern) for pattern in object_patterns]
        self.s3_endpoint = self.vpc.add_gateway_endpoint(
            "S3", service=ec2.GatewayVpcEndpointAwsService.S3, subnets=[isolated]
        )
        self.s3_endpoint.add_to_policy(
            iam.PolicyStatement(
                sid="AdapterObjectsOnly",
                principals=[iam.AnyPrincipal()],
                actions=["s3:GetObject"],
                resources=self.object_arns,
            )
        )
        self.s3_prefix_list_id = self._s3_prefix_list(s3_prefix_list_id)
        # The egress rule inline (L1): a group whose template lists no egress gets EC2's
        # default allow-all rule, which a separate egress resource would only add to.
        group = ec2.CfnSecurityGroup(
            self,
            "Endpoints",
            vpc_id=self.vpc.vpc_id,
            group_description="Vitrine adapter-loading endpoints: HTTPS to S3 only",
            security_group_egress=[
                ec2.CfnSecurityGroup.EgressProperty(
                    ip_protocol="tcp",
                    from_port=HTTPS,
                    to_port=HTTPS,
                    destination_prefix_list_id=self.s3_prefix_list_id,
                    description="S3 (gateway endpoint) over HTTPS",
                )
            ],
        )
        self.security_group_id: str = group.attr_group_id
        log_group = logs.LogGroup(
            self,
            "FlowLogs",
            retention=log_retention,
            encryption_key=LogsKey(self, "FlowLogsKey").key,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.vpc.add_flow_log(
            "FlowLog",
            destination=ec2.FlowLogDestination.to_cloud_watch_logs(log_group),
            traffic_type=ec2.FlowLogTrafficType.ALL,
        )

    @property
    def subnet_ids(self) -> list[str]:
        return list(self.subnets.subnet_ids)

    def _s3_prefix_list(self, configured: str) -> str:
        """The regional S3 managed prefix list: as configured, else looked up (needs the
        stack's account and region, as every deploy has)."""
        if configured:
            return configured
        stack = Stack.of(self)
        if Token.is_unresolved(stack.region) or Token.is_unresolved(stack.account):
            Annotations.of(self).add_warning_v2(
                "vitrine:s3-prefix-list-offline",
                "no account/region: the S3 prefix list is a placeholder in this synth; "
                "deploy with credentials or set vitrine:adapters:s3PrefixListId",
            )
            return OFFLINE_PREFIX_LIST
        return ec2.PrefixList.from_lookup(
            self, "S3PrefixList", prefix_list_name=f"com.amazonaws.{stack.region}.s3"
        ).prefix_list_id
