"""Models: the SageMaker endpoints (segmentation and attributes real-time, try-on
asynchronous with scale-to-zero, avatars on a Triton multi-model endpoint) and the
roles for inference and training."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_cdk import Stack
from aws_cdk import aws_iam as iam

from cdk.async_endpoint.construct import AsyncEndpoint
from cdk.grants import ObjectAccess, grant_key_for_aws_resources, grant_objects, resolve_image
from cdk.nag import acknowledge_wildcard_resources
from cdk.realtime_endpoint.construct import RealtimeEndpoint
from cdk.sagemaker_role.construct import SageMakerRole

if TYPE_CHECKING:
    from constructs import Construct

    from cdk.config import DeployConfig
    from cdk.stacks.storage import StorageStack

ASYNC_OUTPUT_PREFIX = "async-outputs/"
ASYNC_FAILURE_PREFIX = "async-failures/"
# Where the avatar core caches the shared base pipeline on the endpoint host.
AVATAR_BASE_DIR = "/tmp/vitrine/avatar-base"

INFERENCE_WILDCARDS = (
    "Object access is limited to fixed prefixes: the MME adapters and the avatar base "
    "under the models bucket, async requests (uploads) and async results/failures "
    "(results); log groups to /aws/sagemaker/Endpoints/*; ECR GetAuthorizationToken and "
    "PutMetricData have no resource ARN (metrics are limited by a namespace condition)."
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

        inference_role = SageMakerRole(
            self,
            "InferenceRole",
            description="Vitrine SageMaker endpoints (all four models)",
            image_uris=[spec.image_uri for spec in models.values()],
            log_group_prefix="/aws/sagemaker/Endpoints/",
            metric_namespace="/aws/sagemaker/Endpoints",
        )
        inference = inference_role.role
        self.inference_role = inference
        model_keys = tuple(spec.model_data_key for spec in models.values() if spec.model_data_key)
        granted = [
            # Model data: the packed models, the avatar adapters and the shared avatar base.
            *grant_objects(
                buckets.models,
                inference,
                ObjectAccess(
                    read=True,
                    keys=model_keys,
                    prefixes=(config.mme_prefix, config.avatar_base_model_key),
                ),
            ),
            *grant_objects(
                buckets.models,
                inference,
                ObjectAccess(list=True, prefixes=(config.avatar_base_model_key,)),
            ),
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

        def realtime(name: str, role_name: str, **extra: Any) -> RealtimeEndpoint:
            spec = models[role_name]
            return RealtimeEndpoint(
                self,
                name,
                role=inference,
                image=resolve_image(self, spec.image_uri),
                instance_type=spec.instance_type,
                instance_count=spec.instance_count,
                volume_key=key,
                **extra,
            )

        self.segmentation = realtime(
            "Segmentation",
            "segmentation",
            model_data_url=s3_uri(models_bucket, str(models["segmentation"].model_data_key)),
        )
        self.attributes = realtime(
            "Attributes",
            "attributes",
            model_data_url=s3_uri(models_bucket, str(models["attributes"].model_data_key)),
        )
        self.avatar = realtime(
            "Avatar",
            "avatar",
            model_data_url=s3_uri(models_bucket, config.mme_prefix),
            multi_model=True,
            # The Triton model fetches the shared base pipeline from S3 once per host.
            network_isolation=False,
            environment={
                "VITRINE_AVATAR_BASE_MODEL_URI": self.avatar_base_model_uri,
                "VITRINE_AVATAR_BASE_DIR": AVATAR_BASE_DIR,
            },
        )
        tryon = models["tryon"]
        results_bucket = buckets.results.bucket_name
        self.tryon = AsyncEndpoint(
            self,
            "TryOn",
            role=inference,
            image=resolve_image(self, tryon.image_uri),
            model_data_url=s3_uri(models_bucket, str(tryon.model_data_key)),
            instance_type=tryon.instance_type,
            initial_instance_count=tryon.instance_count,
            max_instances=config.tryon_max_instances,
            backlog_per_instance=config.tryon_backlog_per_instance,
            output_path=s3_uri(results_bucket, ASYNC_OUTPUT_PREFIX),
            failure_path=s3_uri(results_bucket, ASYNC_FAILURE_PREFIX),
            key=key,
        )
        # SageMaker publishes the async notifications with the execution role.
        iam.Grant.add_to_principal(
            grantee=inference,
            actions=["sns:Publish"],
            resource_arns=[self.tryon.success_topic.topic_arn, self.tryon.error_topic.topic_arn],
        )
        key.grant(inference, "kms:Decrypt", "kms:GenerateDataKey")

        training_role = SageMakerRole(
            self,
            "TrainingRole",
            description="Vitrine SageMaker training jobs (avatar DreamBooth-LoRA, BLIP-2 LoRA)",
            image_uris=[config.training_image_uri],
            log_group_prefix="/aws/sagemaker/TrainingJobs",
            metric_namespace="/aws/sagemaker/TrainingJobs",
        )
        training = training_role.role
        self.training_role = training
        self.training_image = resolve_image(self, config.training_image_uri)
        # Inputs are tenant uploads; outputs (adapters, checkpoints) go to the models bucket.
        granted = [
            *grant_objects(buckets.uploads, training, ObjectAccess(read=True, list=True)),
            *grant_objects(
                buckets.models, training, ObjectAccess(read=True, write=True, list=True)
            ),
        ]
        # Output and volume encryption with the data key (OutputDataConfig/VolumeKmsKeyId).
        key.grant(training, "kms:Encrypt")
        grant_key_for_aws_resources(key, training)
        acknowledge_wildcard_resources(
            training, [*training_role.wildcard_resources, *granted], TRAINING_WILDCARDS
        )
        self.buckets = buckets
