"""Api stack: the two REST APIs (Cognito / API keys), validation, logging, WAF, and the
queue and event wiring of the Lambdas."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest

from cdk.nag import flatten_reference
from cdk.rest_api.routes import PUBLIC_ROUTES, ROUTES, Route

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from conftest import Synthesized

PUBLIC_PATHS = {route.path for route in PUBLIC_ROUTES}
# Routes the gateway may carry before the app serves them (none today).
PLANNED: set[tuple[str, str]] = set()


def _shape(path: str) -> str:
    """``/v1/jobs/{job_id}`` → ``/v1/jobs/{}`` (parameter names may differ)."""
    return re.sub(r"\{[^}]+\}", "{}", path)


def _gateway_routes(routes: tuple[Route, ...]) -> set[tuple[str, str]]:
    return {(_shape(r.path), verb) for r in routes for verb in r.methods}


def _api_id(synthesized: Synthesized, name: str) -> str:
    apis = synthesized.resources("Api", "AWS::ApiGateway::RestApi")
    return next(logical for logical, api in apis.items() if api["Properties"]["Name"] == name)


def _paths(synthesized: Synthesized) -> dict[str, str]:
    """Resource logical id → full path (``/v1/jobs/{job_id}``)."""
    resources = synthesized.resources("Api", "AWS::ApiGateway::Resource")
    paths: dict[str, str] = {}

    def path_of(logical: str) -> str:
        if logical not in paths:
            properties = resources[logical]["Properties"]
            parent = properties["ParentId"]
            prefix = path_of(parent["Ref"]) if "Ref" in parent else ""
            paths[logical] = f"{prefix}/{properties['PathPart']}"
        return paths[logical]

    for logical in resources:
        path_of(logical)
    return paths


def _methods(synthesized: Synthesized, api_name: str) -> dict[tuple[str, str], dict[str, Any]]:
    """``(path, verb)`` → method properties of one API, CORS preflights left out."""
    api_id = _api_id(synthesized, api_name)
    paths = _paths(synthesized)
    found = {}
    for method in synthesized.resources("Api", "AWS::ApiGateway::Method").values():
        properties = method["Properties"]
        if properties["RestApiId"] != {"Ref": api_id} or properties["HttpMethod"] == "OPTIONS":
            continue
        resource = properties["ResourceId"]
        path = paths[resource["Ref"]] if "Ref" in resource else "/"
        found[(path, properties["HttpMethod"])] = properties
    return found


def test_both_apis_expose_exactly_the_route_table(synthesized: Synthesized) -> None:
    expected = {(r.path, verb) for r in (*ROUTES, *PUBLIC_ROUTES) for verb in r.methods}
    assert set(_methods(synthesized, "vitrine-frontend")) == expected
    assert set(_methods(synthesized, "vitrine-partner")) == expected


def test_gateway_routes_match_the_fastapi_app() -> None:
    """Every route the app serves on AWS is reachable, and the gateway serves nothing else."""
    from starlette.routing import Mount

    from api.app import create_app
    from api.settings import Settings

    settings = Settings(
        profile="aws",
        aws_region="us-east-1",
        uploads_bucket="u",
        results_bucket="r",
        models_bucket="m",
        jobs_table="t",
        jobs_queue_url="https://sqs.us-east-1.amazonaws.com/1/q",
        webhook_queue_url="https://sqs.us-east-1.amazonaws.com/1/w",
        webhook_secret="test-webhook-secret-0123456789abcdef",
    )
    app = create_app(settings)
    # The public contract (OpenAPI), FastAPI's own /openapi.json, and the Swagger UI page
    # with its static assets (kept out of the schema).
    served = {
        (_shape(path), verb.upper())
        for path, operations in app.openapi()["paths"].items()
        for verb in operations
    }
    served |= {("/openapi.json", "GET"), (app.url_path_for("swagger_ui"), "GET")}
    served |= {(f"{r.path}/{{}}", "GET") for r in app.routes if isinstance(r, Mount)}
    gateway = _gateway_routes(ROUTES) | _gateway_routes(PUBLIC_ROUTES)
    assert served <= gateway, served - gateway
    assert gateway - served <= PLANNED, gateway - served


def test_frontend_routes_require_the_cognito_authorizer(synthesized: Synthesized) -> None:
    ((authorizer_id, authorizer),) = synthesized.resources(
        "Api", "AWS::ApiGateway::Authorizer"
    ).items()
    (pool_id,) = synthesized.resources("Api", "AWS::Cognito::UserPool")
    assert authorizer["Properties"]["Type"] == "COGNITO_USER_POOLS"
    assert authorizer["Properties"]["ProviderARNs"] == [{"Fn::GetAtt": [pool_id, "Arn"]}]
    for (path, verb), method in _methods(synthesized, "vitrine-frontend").items():
        if path in PUBLIC_PATHS:
            assert method["AuthorizationType"] == "NONE", (path, verb)
            continue
        assert method["AuthorizationType"] == "COGNITO_USER_POOLS", (path, verb)
        assert method["AuthorizerId"] == {"Ref": authorizer_id}, (path, verb)


def test_partner_routes_require_an_api_key(synthesized: Synthesized) -> None:
    for (path, verb), method in _methods(synthesized, "vitrine-partner").items():
        assert "AuthorizerId" not in method
        assert method["ApiKeyRequired"] is (path not in PUBLIC_PATHS), (path, verb)


def test_usage_plans_meter_the_partner_stage(synthesized: Synthesized) -> None:
    plans = synthesized.context["vitrine:usagePlans"]
    partner_api = _api_id(synthesized, "vitrine-partner")
    found = synthesized.resources("Api", "AWS::ApiGateway::UsagePlan")
    by_name = {
        p["Properties"]["UsagePlanName"]: (logical, p["Properties"]) for logical, p in found.items()
    }
    assert set(by_name) == {f"vitrine-partner-{name}" for name in plans}
    for name, spec in plans.items():
        _, properties = by_name[f"vitrine-partner-{name}"]
        assert properties["Throttle"] == {
            "RateLimit": spec["rateLimit"],
            "BurstLimit": spec["burstLimit"],
        }
        assert properties["Quota"] == {"Limit": spec["quotaLimit"], "Period": spec["quotaPeriod"]}
        (stage,) = properties["ApiStages"]
        assert stage["ApiId"] == {"Ref": partner_api}
    # Each configured partner has a key in its plan; the key value is never in the template.
    keys = synthesized.resources("Api", "AWS::ApiGateway::ApiKey")
    assert all("Value" not in key["Properties"] for key in keys.values())
    links = synthesized.resources("Api", "AWS::ApiGateway::UsagePlanKey").values()
    linked = {
        (link["Properties"]["KeyId"]["Ref"], link["Properties"]["UsagePlanId"]["Ref"])
        for link in links
    }
    partners = synthesized.context["vitrine:partnerKeys"]
    assert len(linked) == len(partners) == len(keys)
    for partner, plan in partners.items():
        key_id = next(
            k for k, v in keys.items() if v["Properties"]["Description"] == f"partner {partner}"
        )
        assert (key_id, by_name[f"vitrine-partner-{plan}"][0]) in linked


def test_requests_are_validated(synthesized: Synthesized) -> None:
    validators = synthesized.resources("Api", "AWS::ApiGateway::RequestValidator")
    assert len(validators) == 2
    for validator in validators.values():
        assert validator["Properties"]["ValidateRequestBody"] is True
        assert validator["Properties"]["ValidateRequestParameters"] is True
    for api in ("vitrine-frontend", "vitrine-partner"):
        for (path, verb), method in _methods(synthesized, api).items():
            assert method["RequestValidatorId"]["Ref"] in validators
            if verb == "POST":
                assert set(method["RequestModels"]) == {"application/json"}
            for name in re.findall(r"\{([a-z_]+)\+?\}", path):
                assert method["RequestParameters"][f"method.request.path.{name}"] is True


def test_stages_log_access_and_errors_and_trace(synthesized: Synthesized) -> None:
    stages = synthesized.resources("Api", "AWS::ApiGateway::Stage")
    assert len(stages) == 2
    for stage in stages.values():
        properties = stage["Properties"]
        assert "$context.requestId" in properties["AccessLogSetting"]["Format"]
        assert "DestinationArn" in properties["AccessLogSetting"]
        (settings,) = properties["MethodSettings"]
        assert settings["LoggingLevel"] == "ERROR"
        assert settings["DataTraceEnabled"] is False
        assert settings["MetricsEnabled"] is True
        assert properties["TracingEnabled"] is True
    (account,) = synthesized.resources("Api", "AWS::ApiGateway::Account").values()
    assert "CloudWatchRoleArn" in account["Properties"]


def test_gateway_errors_are_problem_json(synthesized: Synthesized) -> None:
    responses = synthesized.resources("Api", "AWS::ApiGateway::GatewayResponse").values()
    assert {r["Properties"]["ResponseType"] for r in responses} == {"DEFAULT_4XX", "DEFAULT_5XX"}
    for response in responses:
        headers = response["Properties"]["ResponseParameters"]
        assert headers["gatewayresponse.header.Content-Type"] == "'application/problem+json'"


def _gateway_cors_origins(templates: dict[str, Any], api_name: str) -> dict[str, str | None]:
    """Gateway response type → its ``Access-Control-Allow-Origin`` value, for one API."""
    resources = templates["Resources"]
    (api_id,) = [
        logical
        for logical, resource in resources.items()
        if resource["Type"] == "AWS::ApiGateway::RestApi"
        and resource["Properties"]["Name"] == api_name
    ]
    return {
        r["Properties"]["ResponseType"]: r["Properties"]["ResponseParameters"].get(
            "gatewayresponse.header.Access-Control-Allow-Origin"
        )
        for r in resources.values()
        if r["Type"] == "AWS::ApiGateway::GatewayResponse"
        and r["Properties"]["RestApiId"] == {"Ref": api_id}
    }


def test_gateway_errors_are_readable_by_the_frontend_origin(synthesized: Synthesized) -> None:
    """Cognito 401s, WAF 403s, throttling 429s: a storefront must be able to read them."""
    (origin,) = synthesized.context["vitrine:corsAllowOrigins"]
    frontend = _gateway_cors_origins(synthesized.templates["Api"], "vitrine-frontend")
    assert frontend == {"DEFAULT_4XX": f"'{origin}'", "DEFAULT_5XX": f"'{origin}'"}
    # Partners call from servers: no CORS on their API, errors included.
    partner = _gateway_cors_origins(synthesized.templates["Api"], "vitrine-partner")
    assert partner == {"DEFAULT_4XX": None, "DEFAULT_5XX": None}


@pytest.mark.parametrize(
    ("origins", "expected"),
    [
        ([], None),
        # A static header cannot match a list: only the first origin, never '*' or an echo.
        (["https://a.example.com", "https://b.example.com"], "'https://a.example.com'"),
    ],
)
def test_gateway_error_cors_follows_the_configured_origins(
    synth_template: Callable[[str, Mapping[str, object]], dict[str, Any]],
    origins: list[str],
    expected: str | None,
) -> None:
    template = synth_template("Api", {"vitrine:corsAllowOrigins": origins})
    for name in ("vitrine-frontend", "vitrine-partner"):
        found = _gateway_cors_origins(template, name)
        want = expected if name == "vitrine-frontend" else None
        assert found == {"DEFAULT_4XX": want, "DEFAULT_5XX": want}, name
    # The app answers CORS for its own responses from the same list (all origins).
    functions = [
        r["Properties"] for r in template["Resources"].values()
        if r["Type"] == "AWS::Lambda::Function"
        and r["Properties"].get("Handler") == "lambdas.api_handler.handler"
    ]
    assert len(functions) == 1
    variables = functions[0]["Environment"]["Variables"]
    assert variables.get("VITRINE_CORS_ALLOW_ORIGINS") == (",".join(origins) or None)


def _acl_of_stage(synthesized: Synthesized) -> dict[str, str]:
    """Stage logical id -> the web ACL logical id associated with it."""
    stages = synthesized.resources("Api", "AWS::ApiGateway::Stage")
    associated: dict[str, str] = {}
    for association in synthesized.resources("Api", "AWS::WAFv2::WebACLAssociation").values():
        (acl_id, _) = association["Properties"]["WebACLArn"]["Fn::GetAtt"]
        for part in association["Properties"]["ResourceArn"]["Fn::Join"][1]:
            if isinstance(part, dict) and part.get("Ref") in stages:
                associated[part["Ref"]] = acl_id
    return associated


def _stage_of_api(synthesized: Synthesized, name: str) -> str:
    api_id = _api_id(synthesized, name)
    (stage,) = [
        logical for logical, stage in synthesized.resources("Api", "AWS::ApiGateway::Stage").items()
        if stage["Properties"]["RestApiId"] == {"Ref": api_id}
    ]
    return stage


def _rate_rules(acl: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        rule["Name"]: rule for rule in acl["Properties"]["Rules"]
        if "RateBasedStatement" in rule["Statement"]
    }


def test_waf_fronts_both_stages(synthesized: Synthesized) -> None:
    acls = synthesized.resources("Api", "AWS::WAFv2::WebACL")
    assert len(acls) == 2
    for acl in acls.values():
        properties = acl["Properties"]
        assert properties["Scope"] == "REGIONAL"
        groups = {
            rule["Statement"]["ManagedRuleGroupStatement"]["Name"]: rule
            for rule in properties["Rules"]
            if "ManagedRuleGroupStatement" in rule["Statement"]
        }
        assert set(groups) == {
            "AWSManagedRulesCommonRuleSet",
            "AWSManagedRulesKnownBadInputsRuleSet",
            "AWSManagedRulesAmazonIpReputationList",
        }
        # Inline base64 images exceed the common rule set's 8 KB body limit: count, not block.
        overrides = groups["AWSManagedRulesCommonRuleSet"]["Statement"][
            "ManagedRuleGroupStatement"
        ]["RuleActionOverrides"]
        assert overrides == [{"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}}]
        for rate in _rate_rules(acl).values():
            assert rate["Action"] == {"Block": {}}
    associated = _acl_of_stage(synthesized)
    assert set(associated) == set(synthesized.resources("Api", "AWS::ApiGateway::Stage"))
    assert len(set(associated.values())) == 2  # each API its own ACL
    loggings = synthesized.resources("Api", "AWS::WAFv2::LoggingConfiguration").values()
    assert len(loggings) == 2
    for logging in loggings:
        redacted = [f["SingleHeader"]["Name"] for f in logging["Properties"]["RedactedFields"]]
        assert set(redacted) == {"authorization", "x-api-key"}


def test_waf_limits_follow_each_audience(synthesized: Synthesized) -> None:
    """Frontend: per client IP, the configured limit. Partner: per API key and per IP,
    above every usage plan's steady rate over WAF's 5-minute window, so a partner within
    its plan (even one key behind one egress IP) never meets WAF's 403 first."""
    acls = synthesized.resources("Api", "AWS::WAFv2::WebACL")
    associated = _acl_of_stage(synthesized)
    frontend = _rate_rules(acls[associated[_stage_of_api(synthesized, "vitrine-frontend")]])
    partner = _rate_rules(acls[associated[_stage_of_api(synthesized, "vitrine-partner")]])

    (per_ip,) = frontend.values()
    statement = per_ip["Statement"]["RateBasedStatement"]
    assert statement["AggregateKeyType"] == "IP"
    assert statement["Limit"] == synthesized.context["vitrine:wafRateLimit"]

    assert set(partner) == {"RatePerApiKey", "RatePerIp"}
    keyed = partner["RatePerApiKey"]["Statement"]["RateBasedStatement"]
    assert keyed["AggregateKeyType"] == "CUSTOM_KEYS"
    assert keyed["CustomKeys"][0]["Header"]["Name"] == "x-api-key"
    plans = synthesized.context["vitrine:usagePlans"].values()
    for rule in partner.values():
        statement = rule["Statement"]["RateBasedStatement"]
        assert statement["EvaluationWindowSec"] == 300
        for plan in plans:
            assert statement["Limit"] >= plan["rateLimit"] * 300 + plan["burstLimit"]
    assert keyed["Limit"] > synthesized.context["vitrine:wafRateLimit"]


def test_cors_preflight_only_on_the_frontend(synthesized: Synthesized) -> None:
    frontend = {"Ref": _api_id(synthesized, "vitrine-frontend")}
    preflights = [
        m["Properties"]
        for m in synthesized.resources("Api", "AWS::ApiGateway::Method").values()
        if m["Properties"]["HttpMethod"] == "OPTIONS"
    ]
    assert preflights
    for preflight in preflights:
        assert preflight["RestApiId"] == frontend
        assert preflight["Integration"]["Type"] == "MOCK"
        (response,) = preflight["Integration"]["IntegrationResponses"]
        origin = response["ResponseParameters"][
            "method.response.header.Access-Control-Allow-Origin"
        ]
        assert origin == f"'{synthesized.context['vitrine:corsAllowOrigins'][0]}'"


def test_user_pool_is_locked_down(synthesized: Synthesized) -> None:
    (pool,) = synthesized.resources("Api", "AWS::Cognito::UserPool").values()
    properties = pool["Properties"]
    assert properties["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert properties["MfaConfiguration"] == "ON"
    assert properties["Policies"]["PasswordPolicy"]["MinimumLength"] >= 12
    (client,) = synthesized.resources("Api", "AWS::Cognito::UserPoolClient").values()
    assert client["Properties"].get("GenerateSecret", False) is False
    assert client["Properties"]["PreventUserExistenceErrors"] == "ENABLED"


def test_jobs_and_webhooks_queues_redrive_to_their_dead_letter_queues(
    synthesized: Synthesized,
) -> None:
    queues = synthesized.resources("Api", "AWS::SQS::Queue")
    redriven = {
        logical: q["Properties"]["RedrivePolicy"]
        for logical, q in queues.items()
        if "RedrivePolicy" in q["Properties"]
    }
    assert {_consumer_of(synthesized, queue) for queue in redriven} == {
        "lambdas.worker.handler", "lambdas.webhook_sender.handler"}  # fmt: skip
    dead_letters = set()
    for queue_id, redrive in redriven.items():
        assert redrive["maxReceiveCount"] >= 5  # AWS guidance for Lambda consumers
        dlq = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]
        assert dlq in queues and dlq != queue_id
        dead_letters.add(dlq)
    assert len(dead_letters) == 2
    for queue in queues.values():
        assert queue["Properties"]["SqsManagedSseEnabled"] is True
    policies = synthesized.resources("Api", "AWS::SQS::QueuePolicy").values()
    tls_only = {
        ref["Ref"]
        for policy in policies
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if statement["Effect"] == "Deny"
        and statement.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
        for ref in policy["Properties"]["Queues"]
    }
    assert tls_only == set(queues)


def _mappings(synthesized: Synthesized) -> dict[str, dict[str, Any]]:
    """Event source mappings by the handler of the function they feed."""
    functions = synthesized.resources("Api", "AWS::Lambda::Function")
    return {
        functions[m["Properties"]["FunctionName"]["Ref"]]["Properties"]["Handler"]: m["Properties"]
        for m in synthesized.resources("Api", "AWS::Lambda::EventSourceMapping").values()
    }


def test_worker_reports_partial_batch_failures(synthesized: Synthesized) -> None:
    properties = _mappings(synthesized)["lambdas.worker.handler"]
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    queue = properties["EventSourceArn"]["Fn::GetAtt"][0]
    assert "RedrivePolicy" in synthesized.resources("Api", "AWS::SQS::Queue")[queue]["Properties"]


def _consumer_of(synthesized: Synthesized, queue: str) -> str | None:
    """The handler an event source mapping feeds from ``queue``, if any."""
    for handler, mapping in _mappings(synthesized).items():
        if mapping["EventSourceArn"] == {"Fn::GetAtt": [queue, "Arn"]}:
            return handler
    return None


def test_dead_lettered_job_messages_fail_their_jobs(synthesized: Synthesized) -> None:
    """Every job reaches a terminal state: the jobs DLQ feeds the dead_jobs Lambda."""
    queues = synthesized.resources("Api", "AWS::SQS::Queue")
    jobs = _mappings(synthesized)["lambdas.worker.handler"]["EventSourceArn"]["Fn::GetAtt"][0]
    redrive = queues[jobs]["Properties"]["RedrivePolicy"]
    dlq = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]
    properties = _mappings(synthesized)["lambdas.dead_jobs.handler"]
    assert properties["EventSourceArn"] == {"Fn::GetAtt": [dlq, "Arn"]}
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    functions = synthesized.resources("Api", "AWS::Lambda::Function").values()
    (consumer,) = [f["Properties"] for f in functions
                   if f["Properties"]["Handler"] == "lambdas.dead_jobs.handler"]  # fmt: skip
    assert queues[dlq]["Properties"]["VisibilityTimeout"] >= consumer["Timeout"]


def _schedules_of(synthesized: Synthesized, handler: str) -> list[dict[str, Any]]:
    """The schedule rules that invoke the function with ``handler``."""
    functions = synthesized.resources("Api", "AWS::Lambda::Function")
    return [
        rule["Properties"]
        for rule in synthesized.resources("Api", "AWS::Events::Rule").values()
        if "ScheduleExpression" in rule["Properties"]
        and any(
            functions[t["Arn"]["Fn::GetAtt"][0]]["Properties"]["Handler"] == handler
            for t in rule["Properties"]["Targets"]
        )
    ]


def test_handed_off_jobs_are_swept_on_a_schedule(synthesized: Synthesized) -> None:
    """Every job reaches a terminal state: a try-on whose async notification never comes
    is failed by the hand-off timeouts Lambda, run by a schedule rule."""
    functions = synthesized.resources("Api", "AWS::Lambda::Function")
    (sweeper,) = [fid for fid, f in functions.items()
                  if f["Properties"]["Handler"] == "lambdas.handoff_timeouts.handler"]  # fmt: skip
    (rule,) = _schedules_of(synthesized, "lambdas.handoff_timeouts.handler")
    assert rule["ScheduleExpression"] == "rate(10 minutes)" and rule["State"] == "ENABLED"
    (target,) = rule["Targets"]
    assert "DeadLetterConfig" in target and target["RetryPolicy"]["MaximumRetryAttempts"] == 2
    # It reads the sparse index of running jobs, by its exact ARN
    variables = functions[sweeper]["Properties"]["Environment"]["Variables"]
    assert variables["VITRINE_JOBS_TABLE_RUNNING_INDEX"] == "running"


def test_time_budgets_add_up(synthesized: Synthesized) -> None:
    """API: the model call's worst case (attempts x (connect + read) + backoff) ends before
    API Gateway's 29 s, with the margin to answer. Worker: one job per invocation, whose
    model call fits the Lambda's timeout; SQS hides a message for 6 timeouts."""
    from api.adapters.aws.budgets import (
        API_GATEWAY_TIMEOUT_SECONDS,
        API_MARGIN_SECONDS,
        WORKER_MARGIN_SECONDS,
        worst_case_seconds,
    )
    from api.adapters.aws.clients import ClientPolicy
    from api.settings import Settings

    functions = {
        f["Properties"]["Handler"]: f["Properties"]
        for f in synthesized.resources("Api", "AWS::Lambda::Function").values()
    }

    def model_policy(handler: str) -> ClientPolicy:
        variables = functions[handler]["Environment"]["Variables"]
        settings = Settings(**{
            name.removeprefix("VITRINE_").lower(): value for name, value in variables.items()
            if name.startswith(("VITRINE_MODEL_", "VITRINE_AWS_")) and isinstance(value, str)
        })  # fmt: skip
        return ClientPolicy.from_settings(
            settings, read_timeout=settings.model_read_timeout_seconds,
            max_attempts=settings.model_max_attempts,
        )  # fmt: skip

    api = worst_case_seconds(model_policy("lambdas.api_handler.handler"))
    assert api <= API_GATEWAY_TIMEOUT_SECONDS - API_MARGIN_SECONDS
    assert functions["lambdas.api_handler.handler"]["Timeout"] <= API_GATEWAY_TIMEOUT_SECONDS

    worker = functions["lambdas.worker.handler"]
    assert worst_case_seconds(model_policy("lambdas.worker.handler")) <= (
        worker["Timeout"] - WORKER_MARGIN_SECONDS
    )
    mapping = _mappings(synthesized)["lambdas.worker.handler"]
    assert mapping["BatchSize"] == 1
    queue = mapping["EventSourceArn"]["Fn::GetAtt"][0]
    assert (
        synthesized.resources("Api", "AWS::SQS::Queue")[queue]["Properties"]["VisibilityTimeout"]
        >= 6 * worker["Timeout"]
    )


def test_training_state_changes_reach_training_events(synthesized: Synthesized) -> None:
    rules = synthesized.resources("Api", "AWS::Events::Rule").values()
    (rule,) = [r for r in rules if "EventPattern" in r["Properties"]]
    pattern = rule["Properties"]["EventPattern"]
    assert pattern["source"] == ["aws.sagemaker"]
    assert pattern["detail-type"] == ["SageMaker Training Job State Change"]
    assert set(pattern["detail"]["TrainingJobStatus"]) == {"Completed", "Failed", "Stopped"}
    # Only Vitrine's jobs: those running as its training role.
    assert "TrainingRole" in flatten_reference(pattern["detail"]["RoleArn"][0])
    (target,) = rule["Properties"]["Targets"]
    functions = synthesized.resources("Api", "AWS::Lambda::Function")
    function = functions[target["Arn"]["Fn::GetAtt"][0]]
    assert function["Properties"]["Handler"] == "lambdas.training_events.handler"
    assert "DeadLetterConfig" in target


def test_async_topics_notify_async_results(synthesized: Synthesized) -> None:
    subscriptions = synthesized.resources("Api", "AWS::SNS::Subscription").values()
    functions = synthesized.resources("Api", "AWS::Lambda::Function")
    topics = set()
    for subscription in subscriptions:
        properties = subscription["Properties"]
        assert properties["Protocol"] == "lambda"
        handler = functions[properties["Endpoint"]["Fn::GetAtt"][0]]["Properties"]["Handler"]
        assert handler == "lambdas.async_results.handler"
        assert "RedrivePolicy" in properties
        topics.add(flatten_reference(properties["TopicArn"]))
    assert len(topics) == 4  # try-on and generation: success and error each
    assert any("TryOnSuccess" in t for t in topics) and any("TryOnError" in t for t in topics)


def test_bodies_lambda_cannot_take_get_a_413_problem_at_the_gateway(
    synthesized: Synthesized,
) -> None:
    """6-10 MB bodies pass API Gateway but not Lambda's 6 MB invoke payload: WAF answers
    them (by declared Content-Length) with 413 and a problem body, on both APIs."""
    from cdk.web_acl.construct import MAX_BODY_BYTES

    for acl in synthesized.resources("Api", "AWS::WAFv2::WebACL").values():
        properties = acl["Properties"]
        (rule,) = [r for r in properties["Rules"] if r["Name"] == "BodyTooLarge"]
        assert rule["Priority"] == 0  # before any managed or rate rule
        statement = rule["Statement"]["RegexMatchStatement"]
        assert statement["FieldToMatch"] == {"SingleHeader": {"Name": "content-length"}}
        pattern = re.compile(statement["RegexString"])
        for length, blocked in ((5_999_999, False), (6_000_000, True), (6_291_456, True),
                                (10_485_760, True), (4_300_000, False), (1, False)):  # fmt: skip
            assert bool(pattern.match(str(length))) is blocked, length
        custom = rule["Action"]["Block"]["CustomResponse"]
        assert custom["ResponseCode"] == 413
        body = properties["CustomResponseBodies"][custom["CustomResponseBodyKey"]]
        assert body["ContentType"] == "APPLICATION_JSON"
        problem = json.loads(body["Content"])
        assert problem["type"].endswith("/payload-too-large") and problem["status"] == 413
    assert MAX_BODY_BYTES < 6 * 1024 * 1024


def test_binary_responses_are_decoded_by_both_apis(synthesized: Synthesized) -> None:
    """Mangum base64-encodes non-text responses; without binaryMediaTypes API Gateway
    would pass that base64 text to the client (the docs favicon, any image)."""
    import fnmatch

    from cdk.rest_api.construct import BINARY_MEDIA_TYPES

    apis = synthesized.resources("Api", "AWS::ApiGateway::RestApi").values()
    assert len(apis) == 2
    for api in apis:
        assert api["Properties"]["BinaryMediaTypes"] == BINARY_MEDIA_TYPES
    binary = ("image/png", "image/x-icon", "application/octet-stream")
    for content_type in binary:
        assert any(fnmatch.fnmatch(content_type, t) for t in BINARY_MEDIA_TYPES)
    for text in ("application/json", "application/problem+json", "text/html"):
        assert not any(fnmatch.fnmatch(text, t) for t in BINARY_MEDIA_TYPES)


def test_webhook_deliveries_have_their_own_queue_sender_and_sweep(
    synthesized: Synthesized,
) -> None:
    """The outbox on AWS: a queue the sender Lambda drains (partial batch failures, a DLQ
    that nobody drains: alarmed), and a schedule for the sweep of lost messages."""
    mapping = _mappings(synthesized)["lambdas.webhook_sender.handler"]
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    queues = synthesized.resources("Api", "AWS::SQS::Queue")
    queue = mapping["EventSourceArn"]["Fn::GetAtt"][0]
    dlq = queues[queue]["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
    assert _consumer_of(synthesized, dlq) is None
    functions = synthesized.resources("Api", "AWS::Lambda::Function")
    sender = next(f["Properties"] for f in functions.values()
                  if f["Properties"]["Handler"] == "lambdas.webhook_sender.handler")  # fmt: skip
    assert queues[queue]["Properties"]["VisibilityTimeout"] >= 6 * sender["Timeout"]
    for function in functions.values():
        variables = function["Properties"]["Environment"]["Variables"]
        assert variables["VITRINE_WEBHOOK_QUEUE_URL"] == {"Ref": queue}
        assert "VITRINE_WEBHOOK_SECRETS_KEY_ID" in variables

    (sweep,) = _schedules_of(synthesized, "lambdas.webhook_sender.sweep")
    assert sweep["ScheduleExpression"] == "rate(5 minutes)"
    (target,) = sweep["Targets"]
    assert "DeadLetterConfig" in target
