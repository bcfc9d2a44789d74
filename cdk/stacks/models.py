"""Models: the SageMaker endpoints (segmentation and attributes real-time, try-on and
generation asynchronous with scale-to-zero, avatars on a Triton multi-model endpoint),
the adapter network the adapter-loading endpoints run in, and the roles for inference
and training."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_cdk import Annotations, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sagemaker as sagemaker

from api.settings import CONTAINER_FIELDS, Settings
from cdk.adapter_network.construct import AdapterNetwork
from cdk.async_endpoint.construct import AsyncEndpoint
from cdk.config import content_addressed
from cdk.grants import (
    ObjectAccess,
    bedrock_model_statements,
    grant_key_for_aws_resources,
    grant_objects,
)
from cdk.model_images.construct import ModelImages
from cdk.nag import acknowledge_wildcard_resources
from cdk.realtime_endpoint.construct import RealtimeEndpoint
from cdk.sagemaker_role.construct import SageMakerRole

if TYPE_CHECKING:
    from collections.abc import Mapping

    from constructs import Construct

    from cdk.config import DeployConfig, ModelSpec
    from cdk.stacks.storage import StorageStack

ASYNC_OUTPUT_PREFIX = "async-outputs/"
# The endpoints that fetch tenant adapters: in the adapter network, without isolation.
ADAPTER_ROLES = frozenset({"generation", "tryon", "attributes"})
ASYNC_FAILURE_PREFIX = "async-failures/"
# How the inference image's toolkit (sagemaker-pytorch-inference on TorchServe) finds each
# model's handler, in the image under PYTHONPATH=/opt/vitrine; one worker per GPU; the
# TorchServe response timeout in seconds (try-on is asynchronous, hence long).
HANDLERS = {
    "segmentation": ("sagemaker_containers.clipseg.code.inference", 60),
    "attributes": ("sagemaker_containers.blip2.code.inference", 120),
    "tryon": ("sagemaker_containers.inpainting.code.inference", 900),
    "generation": ("sagemaker_containers.generation.code.inference", 900),
}
# Where the adapter-loading containers keep the adapters they fetched (the instance's
# writable volume; an LRU of them stays loaded on the warm base).
ADAPTER_CACHE_DIR = "/tmp/vitrine-adapters"
ADAPTER_NETWORK_REASON = (
    "Tenant adapters are fetched by key at request time, which SageMaker network "
    "isolation forbids: these endpoints run without it inside the adapter network "
    "(isolated subnets, no NAT/IGW, an S3 gateway endpoint allowing only GetObject on the "
    "adapter objects, security-group egress only to the S3 prefix list on 443)."
)

INFERENCE_WILDCARDS = (
    "Object access is limited to fixed prefixes: the MME adapters and the tenant adapter "
    "object patterns under the models bucket, async requests (uploads) and async results/failures "
    "(results); log groups to /aws/sagemaker/Endpoints/*; ECR GetAuthorizationToken and "
    "PutMetricData have no resource ARN (metrics are limited by a namespace condition); "
    "the EC2 network-interface actions SageMaker needs to place models in the adapter "
    "network take no resource ARN."
)
TRAINING_WILDCARDS = (
    "Training reads tenant uploads and writes adapters and checkpoints under per-job "
    "prefixes chosen at run time, so object access covers these two buckets; log groups "
    "are limited to /aws/sagemaker/TrainingJobs*; ECR GetAuthorizationToken and "
    "PutMetricData have no resource ARN (metrics are limited by a namespace condition)."
)


class ModelsStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: DeployConfig,
        storage: StorageStack,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        models = config.models
        key = storage.data_key
        buckets = storage.import_data(self)

        def s3_uri(bucket_name: str, key_or_prefix: str) -> str:
            return f"s3://{bucket_name}/{key_or_prefix}"

        models_bucket = buckets.models.bucket_name
        self.avatar_base_model_uri = s3_uri(models_bucket, config.avatar_base_model_key)
        # The unpacked BLIP-2 checkpoint the attribute endpoint serves: the attribute-model
        # training jobs' base channel, so adapters always match the served base.
        self.blip2_base_model_uri = s3_uri(models_bucket, config.attributes_base_model_key)
        # Tenant models' bases: style on SD 2 inpainting, product and concept on SDXL.
        self.style_base_model_uri = s3_uri(models_bucket, config.style_base_model_key)
        self.sdxl_base_model_uri = s3_uri(models_bucket, config.sdxl_base_model_key)
        # The CLIP checkpoint comparisons are scored with (their runs' clip channel).
        self.clip_model_uri = s3_uri(models_bucket, config.clip_model_key)
        self.clipseg_model_uri = s3_uri(models_bucket, config.clipseg_model_key)

        # The images: built from this repository at deploy, unless cdk.json names one.
        self.images = ModelImages(
            self,
            "Images",
            overrides={
                **{role: spec.image_uri for role, spec in models.items()},
                "training": config.training_image_uri,
            },
            avatar_base_dir=config.avatar_base_model_dir,
        )
        inference_role = SageMakerRole(
            self,
            "InferenceRole",
            description="Vitrine SageMaker endpoints (all four models)",
            image_repository_arns=[self.images.image(role).repository_arn for role in models],
            log_group_prefix="/aws/sagemaker/Endpoints/",
            metric_namespace="/aws/sagemaker/Endpoints",
        )
        inference = inference_role.role
        self.inference_role = inference
        # The adapter network, and where its endpoints fetch adapters from: the models
        # bucket's root (keys are the training jobs' artifact keys).
        self.adapter_network = AdapterNetwork(
            self,
            "AdapterNetwork",
            bucket=buckets.models,
            object_patterns=config.adapter_object_patterns,
            s3_prefix_list_id=config.s3_prefix_list_id,
            log_retention=config.log_retention,
        )
        model_keys = tuple(spec.model_data_key for spec in models.values() if spec.model_data_key)
        self._warn_mutable_model_data(models)
        granted = [
            # Model data: the packed models and the avatar adapters (the MME's downloads).
            # The avatar base is in the Triton image: the endpoints never read it from S3.
            *grant_objects(
                buckets.models,
                inference,
                ObjectAccess(read=True, keys=model_keys, prefixes=(config.mme_prefix,)),
            ),
            # Tenant adapters (LoRAs, concepts, attribute adapters) fetched by key.
            *self._grant_adapter_objects(buckets.models, inference,
                                         config.adapter_object_patterns),
            # Models in the adapter network: SageMaker makes their network interfaces.
            *self._grant_vpc_access(inference, self.adapter_network),
            # Async inference reads its requests and writes results and failures.
            *grant_objects(
                buckets.uploads,
                inference,
                ObjectAccess(read=True, prefixes=(config.async_input_prefix,)),
            ),
            *grant_objects(
                buckets.results,
                inference,
                ObjectAccess(write=True, prefixes=(ASYNC_OUTPUT_PREFIX, ASYNC_FAILURE_PREFIX)),
            ),
        ]
        acknowledge_wildcard_resources(
            inference, [*inference_role.wildcard_resources, *granted], INFERENCE_WILDCARDS
        )
        limits = Settings.model_fields
        container_limits = {
            "VITRINE_MAX_IMAGE_PIXELS": str(limits["max_image_pixels"].default),
            "VITRINE_MAX_PROMPT_CHARS": str(limits["max_prompt_chars"].default),
        }

        # The try-on container composites at full resolution and checks model licences
        # with the API's settings (their defaults; same VITRINE_ names).
        tryon_settings = {
            f"VITRINE_{name.upper()}": _env_value(limits[name].default)
            for name in CONTAINER_FIELDS
        }

        adapters_uri = s3_uri(models_bucket, "")
        adapter_vpc = sagemaker.CfnModel.VpcConfigProperty(
            security_group_ids=[self.adapter_network.security_group_id],
            subnets=self.adapter_network.subnet_ids,
        )
        adapter_environment = {
            # generation and try-on (style models): common/adapters.py
            "VITRINE_ADAPTERS_URI": adapters_uri,
            "VITRINE_ADAPTERS_DIR": ADAPTER_CACHE_DIR,
            # attributes (attribute models): blip2/adapters.py
            "VITRINE_BLIP2_ADAPTERS_URI": adapters_uri,
            "VITRINE_BLIP2_ADAPTERS_DIR": ADAPTER_CACHE_DIR,
        }

        def handler_environment(role_name: str) -> dict[str, str]:
            program, timeout_s = HANDLERS[role_name]
            return {
                "SAGEMAKER_PROGRAM": program,
                "SAGEMAKER_MODEL_SERVER_WORKERS": "1",
                "SAGEMAKER_MODEL_SERVER_TIMEOUT": str(timeout_s),
                **container_limits,
                **(tryon_settings if role_name in ("tryon", "generation") else {}),
                **(adapter_environment if role_name in ADAPTER_ROLES else {}),
            }

        def adapter_network(role_name: str) -> dict[str, Any]:
            """No network isolation, in the adapter network (adapter-loading roles only)."""
            if role_name not in ADAPTER_ROLES:
                return {}
            return {"network_isolation": False, "vpc_config": adapter_vpc}

        def realtime(name: str, role_name: str, **extra: Any) -> RealtimeEndpoint:
            spec = models[role_name]
            return RealtimeEndpoint(
                self,
                name,
                role=inference,
                image=self.images.image(role_name).uri,
                instance_type=spec.instance_type,
                instance_count=spec.instance_count,
                volume_key=key,
                **extra,
            )

        self.segmentation = realtime(
            "Segmentation",
            "segmentation",
            model_data_url=s3_uri(models_bucket, str(models["segmentation"].model_data_key)),
            environment=handler_environment("segmentation"),
        )
        self.attributes = realtime(
            "Attributes",
            "attributes",
            model_data_url=s3_uri(models_bucket, str(models["attributes"].model_data_key)),
            environment=handler_environment("attributes"),
            **adapter_network("attributes"),
        )
        self.avatar = realtime(
            "Avatar",
            "avatar",
            model_data_url=s3_uri(models_bucket, config.mme_prefix),
            multi_model=True,
            # Network isolation like every model: the base pipeline is baked into the
            # Triton image (VITRINE_AVATAR_BASE_DIR there), the adapters are downloaded
            # by SageMaker itself from the MME prefix.
            network_isolation=True,
            environment=container_limits,
        )
        tryon = models["tryon"]
        results_bucket = buckets.results.bucket_name
        self.tryon = AsyncEndpoint(
            self,
            "TryOn",
            role=inference,
            image=self.images.image("tryon").uri,
            environment=handler_environment("tryon"),
            model_data_url=s3_uri(models_bucket, str(tryon.model_data_key)),
            instance_type=tryon.instance_type,
            initial_instance_count=tryon.instance_count,
            max_instances=config.tryon_max_instances,
            backlog_per_instance=config.tryon_backlog_per_instance,
            output_path=s3_uri(results_bucket, ASYNC_OUTPUT_PREFIX),
            failure_path=s3_uri(results_bucket, ASYNC_FAILURE_PREFIX),
            key=key,
            **adapter_network("tryon"),
        )
        generation = models["generation"]
        self.generation = AsyncEndpoint(
            self,
            "Generation",
            role=inference,
            image=self.images.image("generation").uri,
            environment=handler_environment("generation"),
            model_data_url=s3_uri(models_bucket, str(generation.model_data_key)),
            instance_type=generation.instance_type,
            initial_instance_count=generation.instance_count,
            max_instances=config.generation_max_instances,
            backlog_per_instance=config.generation_backlog_per_instance,
            output_path=s3_uri(results_bucket, ASYNC_OUTPUT_PREFIX),
            failure_path=s3_uri(results_bucket, ASYNC_FAILURE_PREFIX),
            key=key,
            topic_prefix="Generation",
            **adapter_network("generation"),
        )
        self.async_endpoints = {"tryon": self.tryon, "generation": self.generation}
        # The models without network isolation (in the adapter network instead).
        self.adapter_models = [self.generation.model, self.tryon.model, self.attributes.model]
        # SageMaker publishes the async notifications with the execution role.
        iam.Grant.add_to_principal(
            grantee=inference,
            actions=["sns:Publish"],
            resource_arns=[topic.topic_arn for endpoint in self.async_endpoints.values()
                           for topic in (endpoint.success_topic, endpoint.error_topic)],
        )

        key.grant(inference, "kms:Decrypt", "kms:GenerateDataKey")

        training_role = SageMakerRole(
            self,
            "TrainingRole",
            description="Vitrine SageMaker training jobs (tenant model LoRAs, BLIP-2 LoRA) and "
            "comparison runs",
            image_repository_arns=[self.images.image("training").repository_arn],
            log_group_prefix="/aws/sagemaker/TrainingJobs",
            metric_namespace="/aws/sagemaker/TrainingJobs",
        )
        training = training_role.role
        self.training_role = training
        self.training_image = self.images.image("training").uri
        # Inputs are tenant uploads; outputs (adapters, checkpoints) go to the models bucket.
        granted = [
            *grant_objects(buckets.uploads, training, ObjectAccess(read=True, list=True)),
            *grant_objects(
                buckets.models, training, ObjectAccess(read=True, write=True, list=True)
            ),
        ]
        # Comparisons (comparison/run.py) call the configured Bedrock image models, and
        # nothing else of Bedrock.
        for model_id in config.comparison_bedrock_model_ids:
            for statement in bedrock_model_statements(model_id):
                training.add_to_principal_policy(statement)
        # Output and volume encryption with the data key (OutputDataConfig/VolumeKmsKeyId).
        key.grant(training, "kms:Encrypt")
        grant_key_for_aws_resources(key, training)
        acknowledge_wildcard_resources(
            training, [*training_role.wildcard_resources, *granted], TRAINING_WILDCARDS
        )
        self.buckets = buckets

    def _grant_adapter_objects(self, bucket: Any, role: iam.IRole,
                               patterns: tuple[str, ...]) -> list[str]:
        arns = [bucket.arn_for_objects(pattern) for pattern in patterns]
        iam.Grant.add_to_principal(grantee=role, actions=["s3:GetObject"], resource_arns=arns)
        return arns

    def _grant_vpc_access(self, role: iam.IRole, network: AdapterNetwork) -> list[str]:
        """What SageMaker needs to attach models to the adapter network (its documented
        VPC permissions): interfaces in its subnets with its security group only; the
        Describe calls take no resource."""
        iam.Grant.add_to_principal(
            grantee=role,
            actions=["ec2:DescribeNetworkInterfaces", "ec2:DescribeVpcs",
                     "ec2:DescribeDhcpOptions", "ec2:DescribeSubnets",
                     "ec2:DescribeSecurityGroups"],
            resource_arns=["*"],
        )
        interfaces = self.format_arn(service="ec2", resource="network-interface",
                                     resource_name="*")
        placed_in = [
            self.format_arn(service="ec2", resource="subnet", resource_name=subnet)
            for subnet in network.subnet_ids
        ] + [self.format_arn(service="ec2", resource="security-group",
                             resource_name=network.security_group_id)]
        iam.Grant.add_to_principal(
            grantee=role, actions=["ec2:CreateNetworkInterface"],
            resource_arns=[interfaces, *placed_in],
        )
        iam.Grant.add_to_principal(
            grantee=role,
            actions=["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface",
                     "ec2:DeleteNetworkInterfacePermission"],
            resource_arns=[interfaces],
        )
        return ["*", interfaces]

    def _warn_mutable_model_data(self, models: Mapping[str, ModelSpec]) -> None:
        """A ``ModelDataUrl`` at a key that can be overwritten lets a new archive reach
        instances that scale out or restart while the others serve the old one. Keys that
        name their content (``model_artifacts upload --versioned``) change the model, and
        so roll the endpoint, only on deploy."""
        for role, spec in models.items():
            if spec.model_data_key and not content_addressed(spec.model_data_key):
                Annotations.of(self).add_warning_v2(
                    "vitrine:mutable-model-data",
                    f"{role}: modelDataKey {spec.model_data_key!r} is not content-addressed; "
                    "upload with `python -m model_artifacts upload --versioned` and set "
                    f"vitrine:{role}:modelDataKey to the printed key",
                )


def _env_value(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
