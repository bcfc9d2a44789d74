"""API: the Lambdas, the jobs and webhooks queues, the two REST APIs (frontend: Cognito;
partner: API keys + usage plans) behind WAF, and the event wiring (training state changes,
async inference notifications, the schedules of the webhook and hand-off sweeps)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_cdk import Aws, CfnOutput, Duration, RemovalPolicy, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs

from api.adapters.aws.webhook_secrets import PURPOSE as WEBHOOK_SECRETS_PURPOSE
from cdk.functions.construct import PythonFunction
from cdk.grants import bedrock_model_statements, grant_key_for_aws_resources, grant_objects
from cdk.job_queue.construct import JobQueue
from cdk.jobs_table.construct import KIND_INDEX, RUNNING_INDEX, WEBHOOK_INDEX
from cdk.logs_key.construct import LogsKey
from cdk.nag import acknowledge_wildcard_resources
from cdk.rest_api.account import ApiGatewayAccount
from cdk.rest_api.construct import VitrineRestApi
from cdk.settings_env import settings_environment
from cdk.stacks.access import FunctionSpec, function_specs
from cdk.stacks.api_acknowledgments import FUNCTION_WILDCARDS, acknowledge_api_stack
from cdk.user_pool.construct import FrontendUserPool
from cdk.web_acl.construct import ApiWebAcl, RateLimit, partner_rate_limit

if TYPE_CHECKING:
    from aws_cdk import aws_lambda as lambda_
    from constructs import Construct

    from cdk.config import DeployConfig
    from cdk.stacks.models import ModelsStack
    from cdk.stacks.storage import StorageStack

# What the job and idempotency stores call (api/adapters/aws/dynamo.py, idempotency.py).
TABLE_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
)
TABLE_KEY_ACTIONS = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey")
MODERATION_ACTIONS = ("rekognition:DetectModerationLabels", "comprehend:DetectToxicContent")
TRAINING_STATES = ("Completed", "Failed", "Stopped")
WEBHOOK_SWEEP_RATE = Duration.minutes(5)
HANDOFF_SWEEP_RATE = Duration.minutes(10)


class ApiStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: DeployConfig,
        storage: StorageStack,
        models: ModelsStack,
        code: lambda_.Code,
        code_note: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self._config = config
        self._storage = storage
        self._models = models
        self._data = storage.import_data(self)
        specs = function_specs(config.async_input_prefix)

        self.jobs = JobQueue(
            self,
            "Jobs",
            consumer_timeout=specs["worker"].timeout,
            dead_letter_consumer_timeout=specs["dead_jobs"].timeout,
        )
        # Webhook deliveries (one message per attempt; the sender's failures redrive to
        # its DLQ, alarmed) and the key that seals tenants' webhook secrets.
        self.webhooks = JobQueue(
            self,
            "Webhooks",
            consumer_timeout=specs["webhook_sender"].timeout,
            dead_letter_consumer_timeout=specs["webhook_sender"].timeout,
        )
        self.webhook_secrets_key = kms.Key(
            self,
            "WebhookSecretsKey",
            description="Vitrine tenants' webhook signing secrets (API encrypts, sender decrypts)",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        # Events that the event-driven Lambdas failed on, after retries.
        self.event_failures = sqs.Queue(
            self,
            "EventFailures",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=Duration.days(14),
        )
        # Signs webhook callbacks; its value never appears in a template (dynamic reference).
        self.webhook_secret = secretsmanager.Secret(
            self,
            "WebhookSecret",
            description="Vitrine webhook signing secret (HMAC-SHA256)",
            encryption_key=storage.data_key,
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=64, exclude_punctuation=True
            ),
        )
        # Every log group of this stack is encrypted with it.
        self.logs_key = LogsKey(self, "LogsKey").key
        environment = self._environment()
        self.functions: dict[str, PythonFunction] = {}
        for name, spec in specs.items():
            function = PythonFunction(
                self,
                "".join(part.title() for part in name.split("_")),
                code=code,
                handler=spec.handler,
                description=f"{spec.description} [{code_note}]" if code_note else spec.description,
                environment={**environment, **settings_environment(dict(spec.settings))},
                environment_key=storage.data_key,
                log_retention=config.log_retention,
                log_key=self.logs_key,
                memory_mb=spec.memory_mb,
                timeout=spec.timeout,
                dead_letter_queue=self.event_failures if spec.event_driven else None,
            )
            granted = self._grant(function.role, spec)
            # X-Ray tracing writes segments on "*" too (no resource ARN exists).
            acknowledge_wildcard_resources(function.role, [*granted, "*"], FUNCTION_WILDCARDS)
            self.functions[name] = function

        self._wire_events()
        self._apis()
        acknowledge_api_stack(
            frontend=self.frontend,
            partner=self.partner,
            functions=self.functions.values(),
            webhook_secret=self.webhook_secret,
            account_role=self.api_gateway_account.role,
        )

    def _environment(self) -> dict[str, str]:
        config, storage, models = self._config, self._storage, self._models
        guardrail = config.bedrock_guardrail_id or None
        return settings_environment(
            {
                "profile": "aws",
                "aws_region": Aws.REGION,
                "uploads_bucket": self._data.uploads.bucket_name,
                "results_bucket": self._data.results.bucket_name,
                "models_bucket": self._data.models.bucket_name,
                "jobs_table": self._data.jobs_table.table_name,
                "jobs_table_kind_index": KIND_INDEX,
                "jobs_table_running_index": RUNNING_INDEX,
                "kms_key_id": storage.data_key.key_arn,
                "jobs_queue_url": self.jobs.queue.queue_url,
                "webhook_queue_url": self.webhooks.queue.queue_url,
                "webhook_secrets_key_id": self.webhook_secrets_key.key_arn,
                "jobs_table_webhook_index": WEBHOOK_INDEX,
                "segmentation_endpoint": models.segmentation.endpoint_name,
                "attributes_endpoint": models.attributes.endpoint_name,
                "tryon_endpoint": models.tryon.endpoint_name,
                "generation_endpoint": models.generation.endpoint_name,
                "avatar_endpoint": models.avatar.endpoint_name,
                "mme_prefix": config.mme_prefix,
                "async_input_prefix": config.async_input_prefix,
                "bedrock_model_id": config.bedrock_model_id,
                "bedrock_guardrail_id": guardrail,
                "bedrock_guardrail_version": config.bedrock_guardrail_version
                if guardrail
                else None,
                "training_image_uri": models.training_image,
                "training_role_arn": models.training_role.role_arn,
                "training_instance_type": config.training_instance_type,
                "training_max_seconds": str(config.training_max_seconds),
                "avatar_base_model_uri": models.avatar_base_model_uri,
                "blip2_base_model_uri": models.blip2_base_model_uri,
                "style_base_model_uri": models.style_base_model_uri,
                "sdxl_base_model_uri": models.sdxl_base_model_uri,
                "clip_model_uri": models.clip_model_uri,
                "clipseg_model_uri": models.clipseg_model_uri,
                "job_ttl_days": str(config.job_ttl_days),
                "cors_allow_origins": ",".join(config.cors_allow_origins) or None,
                "webhook_secret": self.webhook_secret.secret_value.unsafe_unwrap(),
            }
        )

    def _grant(self, role: iam.IRole, spec: FunctionSpec) -> list[str]:
        """Apply ``spec``'s row of the access table; return the resource patterns granted."""
        models, data, key = self._models, self._data, self._storage.data_key
        granted: list[str] = []
        for bucket, accesses in (
            (data.uploads, spec.uploads),
            (data.results, spec.results),
            (data.models, spec.models),
        ):
            for access in accesses:
                granted += grant_objects(bucket, role, access)
        # The table and its indexes by exact ARN (no index/* wildcard).
        table_arn = data.jobs_table.table_arn
        iam.Grant.add_to_principal(
            grantee=role,
            actions=list(TABLE_ACTIONS),
            resource_arns=[table_arn, f"{table_arn}/index/{KIND_INDEX}"],
        )
        key.grant(role, *TABLE_KEY_ACTIONS)
        self.jobs.queue.grant_send_messages(role)
        # Whoever ends a job hands its webhook to the sender's queue.
        self.webhooks.queue.grant_send_messages(role)
        if spec.running_index:
            iam.Grant.add_to_principal(
                grantee=role,
                actions=["dynamodb:Query"],
                resource_arns=[f"{table_arn}/index/{RUNNING_INDEX}"],
            )
        if spec.webhook_index:
            iam.Grant.add_to_principal(
                grantee=role,
                actions=["dynamodb:Query"],
                resource_arns=[f"{table_arn}/index/{WEBHOOK_INDEX}"],
            )
        if spec.webhook_secrets:
            # Only for webhook secrets: the encryption context names the purpose.
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=list(spec.webhook_secrets),
                    resources=[self.webhook_secrets_key.key_arn],
                    conditions={
                        "StringEquals": {
                            "kms:EncryptionContext:purpose": WEBHOOK_SECRETS_PURPOSE
                        }
                    },
                )
            )
        endpoints = {
            "segmentation": models.segmentation.endpoint_arn,
            "attributes": models.attributes.endpoint_arn,
            "avatar": models.avatar.endpoint_arn,
        }
        if spec.invoke:
            iam.Grant.add_to_principal(
                grantee=role,
                actions=["sagemaker:InvokeEndpoint"],
                resource_arns=[endpoints[name] for name in spec.invoke],
            )
        if spec.invoke_async:
            iam.Grant.add_to_principal(
                grantee=role,
                actions=["sagemaker:InvokeEndpointAsync"],
                resource_arns=[e.endpoint_arn for e in models.async_endpoints.values()],
            )
        if spec.bedrock:
            granted += self._grant_bedrock(role)
        if spec.moderation:
            iam.Grant.add_to_principal(
                grantee=role, actions=list(MODERATION_ACTIONS), resource_arns=["*"]
            )
            granted.append("*")
        if spec.training_actions:
            granted.append(self._grant_training(role, spec.training_actions))
        return granted

    def _grant_bedrock(self, role: iam.IRole) -> list[str]:
        """Grant the copy model; return the granted resources (wildcards acknowledged)."""
        config = self._config
        statements = bedrock_model_statements(config.bedrock_model_id)
        for statement in statements:
            role.add_to_principal_policy(statement)
        if config.bedrock_guardrail_id:
            iam.Grant.add_to_principal(
                grantee=role,
                actions=["bedrock:ApplyGuardrail"],
                resource_arns=[
                    f"arn:{Aws.PARTITION}:bedrock:{Aws.REGION}:{Aws.ACCOUNT_ID}:guardrail/"
                    f"{config.bedrock_guardrail_id}"
                ],
            )
        return [resource for statement in statements for resource in statement.resources]

    def _grant_training(self, role: iam.IRole, actions: tuple[str, ...]) -> str:
        jobs = f"arn:{Aws.PARTITION}:sagemaker:{Aws.REGION}:{Aws.ACCOUNT_ID}:training-job/*"
        iam.Grant.add_to_principal(grantee=role, actions=list(actions), resource_arns=[jobs])
        if "sagemaker:CreateTrainingJob" in actions:
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=["iam:PassRole"],
                    resources=[self._models.training_role.role_arn],
                    conditions={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
                )
            )
            # The job's volume and output are encrypted with the data key.
            grant_key_for_aws_resources(self._storage.data_key, role)
        return jobs

    def _wire_events(self) -> None:
        worker = self.functions["worker"].function
        # One job per invocation: each gets the whole time budget (budgets.py).
        worker.add_event_source(
            event_sources.SqsEventSource(
                self.jobs.queue, batch_size=1, report_batch_item_failures=True
            )
        )
        # Messages the worker gave up on: their jobs end failed instead of waiting forever.
        self.functions["dead_jobs"].function.add_event_source(
            event_sources.SqsEventSource(
                self.jobs.dead_letter_queue, batch_size=10, report_batch_item_failures=True
            )
        )
        # Only jobs that run as Vitrine's training role: other teams' jobs never reach it.
        events.Rule(
            self,
            "TrainingStateChange",
            description="SageMaker training jobs of Vitrine reaching a terminal state",
            event_pattern=events.EventPattern(
                source=["aws.sagemaker"],
                detail_type=["SageMaker Training Job State Change"],
                detail={
                    "TrainingJobStatus": list(TRAINING_STATES),
                    "RoleArn": [self._models.training_role.role_arn],
                },
            ),
            targets=[
                targets.LambdaFunction(
                    self.functions["training_events"].function,
                    dead_letter_queue=self.event_failures,
                    retry_attempts=4,
                    max_event_age=Duration.hours(2),
                )
            ],
        )
        # One attempt per message; a failed message alone comes back (partial batches).
        self.functions["webhook_sender"].function.add_event_source(
            event_sources.SqsEventSource(
                self.webhooks.queue, batch_size=10, report_batch_item_failures=True
            )
        )
        events.Rule(
            self,
            "WebhookSweep",
            description="Re-queue webhook deliveries whose SQS message was lost",
            schedule=events.Schedule.rate(WEBHOOK_SWEEP_RATE),
            targets=[
                targets.LambdaFunction(
                    self.functions["webhook_sweeper"].function,
                    dead_letter_queue=self.event_failures,
                    retry_attempts=2,
                    max_event_age=WEBHOOK_SWEEP_RATE,
                )
            ],
        )
        # Jobs handed to the async endpoint whose notification never came: failed on a
        # schedule (lambdas/handoff_timeouts.py), so no job waits forever.
        events.Rule(
            self,
            "HandoffTimeoutsSchedule",
            description="Fail Vitrine jobs handed off to a model that never reported back",
            schedule=events.Schedule.rate(HANDOFF_SWEEP_RATE),
            targets=[
                targets.LambdaFunction(
                    self.functions["handoff_timeouts"].function,
                    dead_letter_queue=self.event_failures,
                    retry_attempts=2,
                    max_event_age=HANDOFF_SWEEP_RATE,
                )
            ],
        )
        async_results = self.functions["async_results"].function
        topics = [topic for endpoint in self._models.async_endpoints.values()
                  for topic in (endpoint.success_topic, endpoint.error_topic)]
        for topic in topics:
            topic.add_subscription(
                subscriptions.LambdaSubscription(
                    async_results, dead_letter_queue=self.event_failures
                )
            )

    def _apis(self) -> None:
        config = self._config
        handler = self.functions["api"].function
        account = ApiGatewayAccount(self, "ApiGatewayAccount")
        self.api_gateway_account = account
        users = FrontendUserPool(self, "Users")
        self.user_pool = users.user_pool
        self.frontend = VitrineRestApi(
            self,
            "FrontendApi",
            name=f"{config.stack_prefix.lower()}-frontend",
            handler=handler,
            auth="cognito",
            user_pool=users.user_pool,
            description="Vitrine API for storefront frontends (Cognito user pool)",
            log_retention=config.log_retention,
            log_key=self.logs_key,
            cors_allow_origins=config.cors_allow_origins,
        )
        self.partner = VitrineRestApi(
            self,
            "PartnerApi",
            name=f"{config.stack_prefix.lower()}-partner",
            handler=handler,
            auth="api_key",
            description="Vitrine API for partners (API keys, usage plans)",
            log_retention=config.log_retention,
            log_key=self.logs_key,
            usage_plans=config.usage_plans,
            partner_keys=config.partner_keys,
        )
        # One web ACL per API: the frontend limited per client IP; partners per key and per
        # IP above their fastest usage plan (the plans meter them, with 429s per key).
        partner_limit = partner_rate_limit(p.rate_limit for p in config.usage_plans.values())
        self.web_acls = {
            "Frontend": ApiWebAcl(
                self,
                "FrontendWaf",
                name="frontend",
                rate_limits=[RateLimit("RatePerIp", config.waf_rate_limit)],
                log_retention=config.log_retention,
                log_key=self.logs_key,
                log_group_suffix=config.resource_suffix,
            ),
            "Partner": ApiWebAcl(
                self,
                "PartnerWaf",
                name="partner",
                rate_limits=[
                    RateLimit("RatePerApiKey", partner_limit, header="x-api-key"),
                    RateLimit("RatePerIp", partner_limit),
                ],
                log_retention=config.log_retention,
                log_key=self.logs_key,
                log_group_suffix=config.resource_suffix,
            ),
        }
        for name, api in (("Frontend", self.frontend), ("Partner", self.partner)):
            # Stages log through the account's CloudWatch role, so it must exist first.
            api.stage.node.add_dependency(account)
            self.web_acls[name].associate(
                f"{name}Association", resource_arn=api.stage.stage_arn
            )
            CfnOutput(self, f"{name}Url", value=api.api.url_for_path("/v1"))
        CfnOutput(self, "UserPoolId", value=users.user_pool.user_pool_id)
        CfnOutput(self, "UserPoolClientId", value=users.client.user_pool_client_id)
