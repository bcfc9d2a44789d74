"""A SageMaker asynchronous endpoint that scales to zero.

Requests are S3 objects; results land under ``output_path`` (errors under
``failure_path``) and SageMaker announces each on the success or error SNS topic.
Scaling follows the AWS pattern for scale-to-zero:

- a target-tracking policy on ``ApproximateBacklogSizePerInstance`` sizes the fleet
  to the queue and takes it down to ``MinCapacity`` 0 once the backlog is gone;
- with zero instances that metric has no value, so a step-scaling policy, fired by an
  alarm on ``HasBacklogWithoutCapacity``, adds the first instance back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import Aws, Duration
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sagemaker as sagemaker
from aws_cdk import aws_sns as sns
from constructs import Construct

from cdk.realtime_endpoint.construct import VARIANT_NAME, container, model_and_config

if TYPE_CHECKING:
    from collections.abc import Mapping

    from aws_cdk import aws_kms as kms

NAMESPACE = "AWS/SageMaker"
# Application Auto Scaling acts for SageMaker through this service-linked role (it creates
# it on first use); naming it avoids an unused role per scalable target.
SCALING_ROLE = (
    "role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
    "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"
)
SCALE_IN_COOLDOWN = Duration.minutes(10)
SCALE_OUT_COOLDOWN = Duration.minutes(3)


class AsyncEndpoint(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        role: iam.IRole,
        image: str,
        model_data_url: str,
        instance_type: str,
        initial_instance_count: int,
        max_instances: int,
        backlog_per_instance: float,
        output_path: str,
        failure_path: str,
        key: kms.IKey,
        max_concurrent_invocations_per_instance: int = 1,
        network_isolation: bool = True,
        environment: Mapping[str, str] | None = None,
        vpc_config: sagemaker.CfnModel.VpcConfigProperty | None = None,
        topic_prefix: str = "",
    ) -> None:
        super().__init__(scope, construct_id)
        # ``topic_prefix``: the subscriber's construct ids come from the topics' ids, so a
        # second endpoint's topics, subscribed by the same function, need other ids.
        self.success_topic = sns.Topic(self, f"{topic_prefix}Success", master_key=key,
                                       enforce_ssl=True)
        self.error_topic = sns.Topic(self, f"{topic_prefix}Error", master_key=key,
                                     enforce_ssl=True)

        self.model, self.config = model_and_config(
            self,
            role=role,
            primary_container=container(
                image=image, model_data_url=model_data_url, multi_model=False,
                environment=environment or {},
            ),
            network_isolation=network_isolation,
            instance_type=instance_type,
            # The scaling policy takes it to zero when idle.
            instance_count=initial_instance_count,
            volume_key=key,
            vpc_config=vpc_config,
            async_inference_config=sagemaker.CfnEndpointConfig.AsyncInferenceConfigProperty(
                output_config=sagemaker.CfnEndpointConfig.AsyncInferenceOutputConfigProperty(
                    s3_output_path=output_path,
                    s3_failure_path=failure_path,
                    kms_key_id=key.key_arn,
                    notification_config=sagemaker.CfnEndpointConfig.AsyncInferenceNotificationConfigProperty(
                        success_topic=self.success_topic.topic_arn,
                        error_topic=self.error_topic.topic_arn,
                    ),
                ),
                client_config=sagemaker.CfnEndpointConfig.AsyncInferenceClientConfigProperty(
                    max_concurrent_invocations_per_instance=max_concurrent_invocations_per_instance
                ),
            ),
        )
        self.endpoint = sagemaker.CfnEndpoint(
            self, "Endpoint", endpoint_config_name=self.config.attr_endpoint_config_name
        )
        self.endpoint_name: str = self.endpoint.attr_endpoint_name
        self.endpoint_arn: str = self.endpoint.ref
        self._scale_to_zero(max_instances=max_instances, backlog_per_instance=backlog_per_instance)

    def metric(self, name: str, *, statistic: str = "Average") -> cloudwatch.Metric:
        """An endpoint-level SageMaker metric (the async backlog metrics have no variant)."""
        return cloudwatch.Metric(
            namespace=NAMESPACE,
            metric_name=name,
            dimensions_map={"EndpointName": self.endpoint_name},
            statistic=statistic,
            period=Duration.minutes(1),
        )

    def _scale_to_zero(self, *, max_instances: int, backlog_per_instance: float) -> None:
        target = appscaling.ScalableTarget(
            self,
            "Scaling",
            service_namespace=appscaling.ServiceNamespace.SAGEMAKER,
            resource_id=f"endpoint/{self.endpoint_name}/variant/{VARIANT_NAME}",
            scalable_dimension="sagemaker:variant:DesiredInstanceCount",
            min_capacity=0,
            max_capacity=max_instances,
            role=iam.Role.from_role_arn(
                self,
                "ScalingRole",
                f"arn:{Aws.PARTITION}:iam::{Aws.ACCOUNT_ID}:{SCALING_ROLE}",
                mutable=False,
            ),
        )
        target.scale_to_track_metric(
            "BacklogPerInstance",
            target_value=backlog_per_instance,
            custom_metric=self.metric("ApproximateBacklogSizePerInstance"),
            scale_in_cooldown=SCALE_IN_COOLDOWN,
            scale_out_cooldown=SCALE_OUT_COOLDOWN,
        )
        wake = appscaling.StepScalingAction(
            self,
            "ScaleOutFromZero",
            scaling_target=target,
            adjustment_type=appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
            cooldown=SCALE_OUT_COOLDOWN,
        )
        wake.add_adjustment(adjustment=1, lower_bound=0)
        self.backlog_without_capacity = cloudwatch.Alarm(
            self,
            "BacklogWithoutCapacity",
            alarm_description="Requests are queued and no instance is running: add one.",
            metric=self.metric("HasBacklogWithoutCapacity"),
            threshold=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        self.backlog_without_capacity.add_alarm_action(
            cloudwatch_actions.ApplicationScalingAction(wake)
        )
        self.scalable_target = target
