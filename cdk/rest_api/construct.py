"""One REST API in front of the API Lambda: the route table, one auth mode, validation,
logging.

Vitrine runs two of these over the same Lambda and the same paths (``/v1/...``):
``auth="cognito"`` for storefront frontends (user-pool JWTs) and ``auth="api_key"`` for
partners (API keys metered by usage plans). An API Gateway method has one authorization
mode, so separate APIs keep the app's paths identical for both audiences.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Literal

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_logs as logs
from constructs import Construct

from cdk.rest_api.routes import PUBLIC_ROUTES, ROUTES, Route

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from aws_cdk import aws_cognito as cognito
    from aws_cdk import aws_kms as kms
    from aws_cdk import aws_lambda as lambda_

    from cdk.config import UsagePlanSpec

STAGE_NAME = "prod"
PROBLEM_BASE = "https://vitrine.dev/problems/"
# Who called, what, and how it went; no bodies or tokens.
ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "time": "$context.requestTime",
    "ip": "$context.identity.sourceIp",
    "method": "$context.httpMethod",
    "resource": "$context.resourcePath",
    "path": "$context.path",
    "status": "$context.status",
    "latencyMs": "$context.responseLatency",
    "integrationLatencyMs": "$context.integration.latency",
    "responseLength": "$context.responseLength",
    "user": "$context.authorizer.claims.sub",
    "apiKeyId": "$context.identity.apiKeyId",
    "wafStatus": "$context.waf.status",
    "error": "$context.error.responseType",
}
# Responses Mangum sends base64-encoded (isBase64Encoded) that API Gateway must decode to
# bytes: images (the docs page's favicon, any image route) and opaque downloads. JSON stays
# text, so request validation and the problem+json gateway responses are unaffected.
BINARY_MEDIA_TYPES = ["image/*", "application/octet-stream"]
ALLOWED_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "X-Api-Key"]


class VitrineRestApi(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        handler: lambda_.IFunction,
        auth: Literal["cognito", "api_key"],
        description: str,
        log_retention: logs.RetentionDays,
        log_key: kms.IKey,
        user_pool: cognito.IUserPool | None = None,
        usage_plans: Mapping[str, UsagePlanSpec] | None = None,
        partner_keys: Mapping[str, str] | None = None,
        cors_allow_origins: Sequence[str] = (),
        routes: Sequence[Route] = ROUTES,
        public_routes: Sequence[Route] = PUBLIC_ROUTES,
        throttle_rate: int = 100,
        throttle_burst: int = 200,
    ) -> None:
        super().__init__(scope, construct_id)
        if (auth == "cognito") != (user_pool is not None):
            raise ValueError("a user pool is required for, and only for, auth='cognito'")
        self.access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            retention=log_retention,
            encryption_key=log_key,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.api = apigw.RestApi(
            self,
            "Api",
            rest_api_name=name,
            description=description,
            endpoint_types=[apigw.EndpointType.REGIONAL],
            binary_media_types=BINARY_MEDIA_TYPES,
            cloud_watch_role=False,  # the stack's ApiGatewayAccount provides it, once
            deploy_options=apigw.StageOptions(
                stage_name=STAGE_NAME,
                access_log_destination=apigw.LogGroupLogDestination(self.access_logs),
                access_log_format=apigw.AccessLogFormat.custom(json.dumps(ACCESS_LOG_FIELDS)),
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,
                metrics_enabled=True,
                tracing_enabled=True,
                throttling_rate_limit=throttle_rate,
                throttling_burst_limit=throttle_burst,
            ),
            default_cors_preflight_options=(
                apigw.CorsOptions(
                    allow_origins=list(cors_allow_origins),
                    allow_methods=["GET", "POST", "PUT", "DELETE"],
                    allow_headers=ALLOWED_HEADERS,
                    max_age=Duration.hours(1),
                )
                if cors_allow_origins
                else None
            ),
        )
        self.stage = self.api.deployment_stage
        self._problem_responses(cors_allow_origins)
        self.validator = self.api.add_request_validator(
            "Validator", validate_request_body=True, validate_request_parameters=True
        )
        self.json_object = self.api.add_model(
            "JsonObject",
            content_type="application/json",
            schema=apigw.JsonSchema(
                schema=apigw.JsonSchemaVersion.DRAFT4, type=apigw.JsonSchemaType.OBJECT
            ),
        )
        # One invoke permission for the whole API instead of two per method: keeps the
        # function's resource policy far below its 20 KB limit.
        integration = apigw.LambdaIntegration(handler, scope_permission_to_method=False)
        authorizer = (
            apigw.CognitoUserPoolsAuthorizer(self, "Authorizer", cognito_user_pools=[user_pool])
            if user_pool is not None
            else None
        )
        self.methods: list[apigw.Method] = []
        for route in routes:
            for verb in route.methods:
                self.methods.append(
                    self._add(route, verb, integration, authorizer=authorizer, public=False)
                )
        self.public_methods = [
            self._add(route, verb, integration, authorizer=None, public=True)
            for route in public_routes
            for verb in route.methods
        ]
        self.usage_plans: dict[str, apigw.UsagePlan] = {}
        self.api_keys: dict[str, apigw.IApiKey] = {}
        if auth == "api_key":
            self._metering(usage_plans or {}, partner_keys or {})

    def _add(
        self,
        route: Route,
        verb: str,
        integration: apigw.Integration,
        *,
        authorizer: apigw.IAuthorizer | None,
        public: bool,
    ) -> apigw.Method:
        resource = self.api.root.resource_for_path(route.path)
        parameters = {f"method.request.path.{name}": True for name in route.path_parameters}
        return resource.add_method(
            verb,
            integration,
            authorization_type=(
                apigw.AuthorizationType.COGNITO
                if authorizer is not None
                else apigw.AuthorizationType.NONE
            ),
            authorizer=authorizer,
            api_key_required=not public and authorizer is None,
            request_validator=self.validator,
            request_models=(
                {"application/json": self.json_object} if verb in {"POST", "PUT"} else None
            ),
            request_parameters=parameters or None,
        )

    def _metering(self, plans: Mapping[str, UsagePlanSpec], partners: Mapping[str, str]) -> None:
        for name, spec in plans.items():
            self.usage_plans[name] = self.api.add_usage_plan(
                f"Plan-{name}",
                name=f"{self.api.rest_api_name}-{name}",  # e.g. vitrine-partner-starter
                throttle=apigw.ThrottleSettings(
                    rate_limit=spec.rate_limit, burst_limit=spec.burst_limit
                ),
                quota=apigw.QuotaSettings(
                    limit=spec.quota_limit, period=apigw.Period[spec.quota_period]
                ),
                api_stages=[apigw.UsagePlanPerApiStage(api=self.api, stage=self.stage)],
            )
        # Key values are generated by API Gateway and never appear in templates.
        for partner, plan in partners.items():
            key = self.api.add_api_key(f"Key-{partner}", description=f"partner {partner}")
            self.usage_plans[plan].add_api_key(key)
            self.api_keys[partner] = key

    def _problem_responses(self, cors_allow_origins: Sequence[str]) -> None:
        """Errors API Gateway raises itself (401, 403, 429, validation) as problem+json."""
        # messageString is already a quoted JSON string; the other values never hold quotes.
        body = (
            f'{{"type": "{PROBLEM_BASE}gateway-$context.error.responseType", '
            '"title": $context.error.messageString, "request_id": "$context.requestId"}'
        )
        headers = {"Content-Type": "'application/problem+json'"}
        if cors_allow_origins:
            # A gateway response can only send a static value or copy a request header, and
            # copying Origin would allow every origin. So browsers read gateway errors from
            # the first configured origin only (fail closed for the others); the value never
            # depends on the request, hence no Vary: Origin. Allow-Headers/-Methods only
            # matter on preflights, which the OPTIONS methods answer.
            headers["Access-Control-Allow-Origin"] = f"'{cors_allow_origins[0]}'"
        for name, kind in (
            ("Default4xx", apigw.ResponseType.DEFAULT_4_XX),
            ("Default5xx", apigw.ResponseType.DEFAULT_5_XX),
        ):
            self.api.add_gateway_response(
                name,
                type=kind,
                response_headers=headers,
                templates={"application/json": body},
            )
