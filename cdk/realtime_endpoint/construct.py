"""A SageMaker real-time endpoint: model, endpoint config, endpoint.

``multi_model=True`` makes it a multi-model endpoint (``Mode: MultiModel``): the model
data URL is then an S3 prefix, each object under it one model, chosen per request with
``TargetModel``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from api.adapters.aws.instances import has_instance_storage

if TYPE_CHECKING:
    from collections.abc import Mapping

    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_kms as kms

VARIANT_NAME = "AllTraffic"
# The host image every GPU variant runs on: NVIDIA driver 550 (CUDA 12.4), new enough for
# the images' CUDA 12.x user space (torch cu128, Triton 25.04) by minor-version
# compatibility. Left unset, SageMaker may pick an older default (R470 has been seen).
GPU_AMI_VERSION = "al2-ami-sagemaker-inference-gpu-3-1"
_GPU_FAMILIES = ("ml.g4dn.", "ml.g5.", "ml.g6.", "ml.p3.", "ml.p4d.", "ml.p4de.", "ml.p5.")


def inference_ami_version(instance_type: str) -> str | None:
    """``GPU_AMI_VERSION`` for the GPU instance families it supports, else None."""
    return GPU_AMI_VERSION if instance_type.startswith(_GPU_FAMILIES) else None

def container(
    *, image: str, model_data_url: str, multi_model: bool, environment: Mapping[str, str]
) -> sagemaker.CfnModel.ContainerDefinitionProperty:
    return sagemaker.CfnModel.ContainerDefinitionProperty(
        image=image,
        model_data_url=model_data_url,
        mode="MultiModel" if multi_model else "SingleModel",
        environment=dict(environment) or None,
    )


def model_and_config(
    scope: Construct,
    *,
    role: iam.IRole,
    primary_container: sagemaker.CfnModel.ContainerDefinitionProperty,
    network_isolation: bool,
    instance_type: str,
    instance_count: int,
    volume_key: kms.IKey,
    async_inference_config: sagemaker.CfnEndpointConfig.AsyncInferenceConfigProperty
    | None = None,
    vpc_config: sagemaker.CfnModel.VpcConfigProperty | None = None,
) -> tuple[sagemaker.CfnModel, sagemaker.CfnEndpointConfig]:
    """``Model`` and ``Config`` under ``scope``: one variant serving the model."""
    model = sagemaker.CfnModel(
        scope,
        "Model",
        execution_role_arn=role.role_arn,
        primary_container=primary_container,
        enable_network_isolation=network_isolation,
        vpc_config=vpc_config,
    )
    # CreateModel checks the role can reach the image and data: policies first.
    model.node.add_dependency(role)
    config = sagemaker.CfnEndpointConfig(
        scope,
        "Config",
        production_variants=[
            sagemaker.CfnEndpointConfig.ProductionVariantProperty(
                variant_name=VARIANT_NAME,
                model_name=model.attr_model_name,
                instance_type=instance_type,
                initial_instance_count=instance_count,
                initial_variant_weight=1,
                inference_ami_version=inference_ami_version(instance_type),
            )
        ],
        # Local NVMe instance storage is encrypted in hardware and refuses a KMS key.
        kms_key_id=None if has_instance_storage(instance_type) else volume_key.key_arn,
        async_inference_config=async_inference_config,
    )
    return model, config


class RealtimeEndpoint(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        role: iam.IRole,
        image: str,
        model_data_url: str,
        instance_type: str,
        instance_count: int,
        volume_key: kms.IKey,
        multi_model: bool = False,
        network_isolation: bool = True,
        environment: Mapping[str, str] | None = None,
        vpc_config: sagemaker.CfnModel.VpcConfigProperty | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.model, self.config = model_and_config(
            self,
            role=role,
            primary_container=container(
                image=image,
                model_data_url=model_data_url,
                multi_model=multi_model,
                environment=environment or {},
            ),
            network_isolation=network_isolation,
            instance_type=instance_type,
            instance_count=instance_count,
            volume_key=volume_key,
            vpc_config=vpc_config,
        )
        self.endpoint = sagemaker.CfnEndpoint(
            self, "Endpoint", endpoint_config_name=self.config.attr_endpoint_config_name
        )
        self.endpoint_name: str = self.endpoint.attr_endpoint_name
        # Ref of AWS::SageMaker::Endpoint is its ARN (lower-cased name, as IAM matches it).
        self.endpoint_arn: str = self.endpoint.ref
