"""The WAF web ACL in front of the API stages.

AWS managed rule groups (IP reputation, the common rule set, known bad inputs) plus rate
limits, one web ACL per API so each audience gets its own: the frontend per client IP,
partners per API key (and per IP, at the same higher limit) above their usage plans, which
do the real metering (``partner_rate_limit``). Declared bodies Lambda cannot take get a
413 problem first. The common rule set's ``SizeRestrictions_BODY`` (8 KB) is switched to
count: inline images are base64 bodies of up to ~6 MB by design, and API Gateway plus
the app bound them instead. Requests are logged with credentials redacted.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aws_cdk import ArnFormat, RemovalPolicy, Stack
from aws_cdk import aws_logs as logs
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from aws_cdk import aws_kms as kms

MANAGED_RULE_GROUPS = (
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
)
COUNT_ONLY = {"AWSManagedRulesCommonRuleSet": ("SizeRestrictions_BODY",)}
REDACTED_HEADERS = ("authorization", "x-api-key")
WINDOW_SECONDS = 300
# Lambda takes at most 6 MB (6,291,456 bytes) per synchronous invocation, the whole event
# included; API Gateway accepts bodies up to 10 MB. Bodies declared at 6,000,000 bytes or
# more (Content-Length) are answered here, 413 problem+json, instead of a gateway 5xx.
# WAF cannot inspect a body that large, so the declared length is matched: a 7-digit number
# starting with 6-9, or any 8+ digit number.
MAX_BODY_BYTES = 6_000_000
_TOO_LONG = r"^\s*([6-9][0-9]{6}|[1-9][0-9]{7,})\s*$"
TOO_LARGE_BODY_KEY = "payload-too-large"
TOO_LARGE_BODY = json.dumps(
    {
        "type": "https://vitrine.dev/problems/payload-too-large",
        "title": "Request body is too large",
        "status": 413,
        "detail": f"Request bodies must be under {MAX_BODY_BYTES:,} bytes; send larger images "
        "with an upload (POST /v1/uploads) and reference it",
    }
)
# Partners' WAF limit over their fastest plan's steady rate: WAF is the flood guard, the
# usage plan (429 problem+json, per key) the meter; a partner at its plan's rate never
# meets WAF's 403.
PARTNER_HEADROOM = 2


@dataclass(frozen=True, slots=True)
class RateLimit:
    """A WAF rate rule: at most ``limit`` requests per 5 minutes per client IP, or per value
    of the request header ``header`` (requests without it are not counted by that rule)."""

    name: str
    limit: int
    header: str | None = None


def partner_rate_limit(plan_rates: Iterable[float]) -> int:
    """Requests per 5 minutes for one partner key or IP: the fastest plan's steady rate
    (requests/s) over WAF's window, times ``PARTNER_HEADROOM``."""
    return math.ceil(max(plan_rates) * WINDOW_SECONDS * PARTNER_HEADROOM)


def _body_size_rule(priority: int) -> wafv2.CfnWebACL.RuleProperty:
    """Block declared bodies of ``MAX_BODY_BYTES`` or more with a 413 problem (WAF only
    sends ``application/json`` as a custom body's type)."""
    return wafv2.CfnWebACL.RuleProperty(
        name="BodyTooLarge",
        priority=priority,
        statement=wafv2.CfnWebACL.StatementProperty(
            regex_match_statement=wafv2.CfnWebACL.RegexMatchStatementProperty(
                regex_string=_TOO_LONG,
                field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(
                    single_header={"Name": "content-length"}
                ),
                text_transformations=[
                    wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")
                ],
            )
        ),
        action=wafv2.CfnWebACL.RuleActionProperty(
            block=wafv2.CfnWebACL.BlockActionProperty(
                custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                    response_code=413, custom_response_body_key=TOO_LARGE_BODY_KEY
                )
            )
        ),
        visibility_config=_visibility("BodyTooLarge"),
    )


def _rate_rule(rate: RateLimit, priority: int) -> wafv2.CfnWebACL.RuleProperty:
    if rate.header is None:
        statement = wafv2.CfnWebACL.RateBasedStatementProperty(
            limit=rate.limit, aggregate_key_type="IP", evaluation_window_sec=WINDOW_SECONDS
        )
    else:
        statement = wafv2.CfnWebACL.RateBasedStatementProperty(
            limit=rate.limit,
            aggregate_key_type="CUSTOM_KEYS",
            custom_keys=[
                wafv2.CfnWebACL.RateBasedStatementCustomKeyProperty(
                    header=wafv2.CfnWebACL.RateLimitHeaderProperty(
                        name=rate.header,
                        text_transformations=[
                            wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")
                        ],
                    )
                )
            ],
            evaluation_window_sec=WINDOW_SECONDS,
        )
    return wafv2.CfnWebACL.RuleProperty(
        name=rate.name,
        priority=priority,
        statement=wafv2.CfnWebACL.StatementProperty(rate_based_statement=statement),
        action=wafv2.CfnWebACL.RuleActionProperty(block={}),
        visibility_config=_visibility(rate.name),
    )


def _visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
    )


def _managed(name: str, priority: int) -> wafv2.CfnWebACL.RuleProperty:
    overrides = [
        wafv2.CfnWebACL.RuleActionOverrideProperty(
            name=rule, action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={})
        )
        for rule in COUNT_ONLY.get(name, ())
    ]
    return wafv2.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        statement=wafv2.CfnWebACL.StatementProperty(
            managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                vendor_name="AWS", name=name, rule_action_overrides=overrides or None
            )
        ),
        override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
        visibility_config=_visibility(name),
    )


class ApiWebAcl(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        rate_limits: Sequence[RateLimit],
        log_retention: logs.RetentionDays,
        log_key: kms.IKey,
        log_group_suffix: str = "",
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        rules = [_body_size_rule(0)]
        rules += [_managed(group, 1 + i) for i, group in enumerate(MANAGED_RULE_GROUPS)]
        rules += [_rate_rule(rate, len(rules) + i) for i, rate in enumerate(rate_limits)]
        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            rules=rules,
            custom_response_bodies={
                TOO_LARGE_BODY_KEY: wafv2.CfnWebACL.CustomResponseBodyProperty(
                    content_type="APPLICATION_JSON", content=TOO_LARGE_BODY
                )
            },
            visibility_config=_visibility(f"{stack.stack_name}-{name}"),
        )
        # WAF only logs to groups named aws-waf-logs-*.
        # Retained on stack deletion: ``log_group_suffix`` (vitrine:resourceSuffix) lets a
        # redeploy create a new one.
        log_group_name = f"aws-waf-logs-{stack.stack_name}-{name}" + (
            f"-{log_group_suffix}" if log_group_suffix else ""
        )
        self.log_group = logs.LogGroup(
            self,
            "Logs",
            log_group_name=log_group_name,
            retention=log_retention,
            encryption_key=log_key,
            removal_policy=RemovalPolicy.RETAIN,
        )
        logging = wafv2.CfnLoggingConfiguration(
            self,
            "Logging",
            resource_arn=self.web_acl.attr_arn,
            log_destination_configs=[
                stack.format_arn(
                    service="logs",
                    resource="log-group",
                    resource_name=log_group_name,
                    arn_format=ArnFormat.COLON_RESOURCE_NAME,
                )
            ],
            redacted_fields=[
                wafv2.CfnLoggingConfiguration.FieldToMatchProperty(single_header={"Name": header})
                for header in REDACTED_HEADERS
            ],
        )
        logging.node.add_dependency(self.log_group)

    def associate(self, construct_id: str, *, resource_arn: str) -> wafv2.CfnWebACLAssociation:
        """Put the web ACL in front of ``resource_arn`` (an API Gateway stage)."""
        return wafv2.CfnWebACLAssociation(
            self, construct_id, resource_arn=resource_arn, web_acl_arn=self.web_acl.attr_arn
        )
