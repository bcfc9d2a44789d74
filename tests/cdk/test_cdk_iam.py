"""Least privilege across every stack: no wildcard actions, ``Resource: "*"`` only for
actions that have no resource ARN, wildcard ARNs only of the reviewed shapes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from cdk.grants import UNSCOPED_ACTIONS
from cdk.nag import flatten_reference

if TYPE_CHECKING:
    from collections.abc import Iterator

    from conftest import Synthesized

# Wildcard ARNs the stacks may grant (after flattening): objects under the Vitrine
# buckets, SageMaker/CloudWatch log groups, training jobs (named per job at run time).
ALLOWED_PATTERNS = (
    re.compile(
        r"^arn:<AWS::Partition>:s3:::vitrine-(uploads|results|models)-<AWS::AccountId>-<AWS::Region>/[\w/.-]*\*$"
    ),
    re.compile(
        r"^arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:(/aws/sagemaker/[\w/]+)?\*$"
    ),
    re.compile(r"^arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:training-job/\*$"),
    # Tenant adapter objects in the models bucket, any tenant (the adapter network's).
    re.compile(
        r"^arn:<AWS::Partition>:s3:::vitrine-models-<AWS::AccountId>-<AWS::Region>/\*/(models|attribute-models)/\*$"
    ),
    # Network interfaces SageMaker makes for models in the adapter network.
    re.compile(r"^arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/\*$"),
    # The copy model in whichever region cross-region inference picks (profile-conditioned).
    re.compile(r"^arn:<AWS::Partition>:bedrock:\*::foundation-model/anthropic\.[\w.:-]+$"),
)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements(synthesized: Synthesized) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every identity-policy statement: ``(where, statement)``."""
    for stack, template in synthesized.templates.items():
        for logical, resource in template["Resources"].items():
            properties = resource.get("Properties", {})
            documents = []
            if resource["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
                documents.append(properties["PolicyDocument"])
            elif resource["Type"] == "AWS::IAM::Role":
                documents += [p["PolicyDocument"] for p in properties.get("Policies", [])]
            for document in documents:
                for statement in document["Statement"]:
                    yield f"{stack}/{logical}", statement


def test_policies_exist_to_be_checked(synthesized: Synthesized) -> None:
    assert sum(1 for _ in _statements(synthesized)) > 40


def test_no_wildcard_actions(synthesized: Synthesized) -> None:
    for where, statement in _statements(synthesized):
        assert "NotAction" not in statement, where
        for action in _as_list(statement["Action"]):
            assert "*" not in action, (where, action)


def test_resource_star_only_for_actions_without_resource_arns(synthesized: Synthesized) -> None:
    starred = 0
    for where, statement in _statements(synthesized):
        if "*" in _as_list(statement["Resource"]):
            starred += 1
            assert statement["Effect"] == "Allow"
            assert set(_as_list(statement["Action"])) <= UNSCOPED_ACTIONS, where
    assert starred > 0  # X-Ray, ECR token, moderation: the allow-list is exercised


def test_wildcard_arns_have_reviewed_shapes(synthesized: Synthesized) -> None:
    for where, statement in _statements(synthesized):
        for resource in _as_list(statement["Resource"]):
            flat = flatten_reference(resource)
            if flat == "*" or "*" not in flat:
                continue
            assert any(p.match(flat) for p in ALLOWED_PATTERNS), (where, flat)


def test_no_managed_policies_or_inline_admin(synthesized: Synthesized) -> None:
    for template in synthesized.templates.values():
        for logical, resource in template["Resources"].items():
            if resource["Type"] == "AWS::IAM::Role":
                assert "ManagedPolicyArns" not in resource["Properties"], logical
            assert resource["Type"] not in ("AWS::IAM::User", "AWS::IAM::Group"), logical


def test_training_role_is_passed_only_to_sagemaker(synthesized: Synthesized) -> None:
    passes = [
        (w, s) for w, s in _statements(synthesized) if "iam:PassRole" in _as_list(s["Action"])
    ]
    assert [w.split("/")[1].startswith("WorkerRole") for w, _ in passes] == [True]
    ((_, statement),) = passes
    assert "TrainingRole" in flatten_reference(statement["Resource"])
    assert statement["Condition"] == {
        "StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}
    }


def test_kms_grants_are_conditioned_to_aws_resources(synthesized: Synthesized) -> None:
    grants = [s for _, s in _statements(synthesized) if "kms:CreateGrant" in _as_list(s["Action"])]
    assert grants
    for statement in grants:
        assert statement["Condition"] == {"Bool": {"kms:GrantIsForAWSResource": "true"}}


def test_lambda_roles_are_per_function(synthesized: Synthesized) -> None:
    roles = synthesized.resources("Api", "AWS::IAM::Role")
    functions = synthesized.resources("Api", "AWS::Lambda::Function").values()
    used = [f["Properties"]["Role"]["Fn::GetAtt"][0] for f in functions]
    assert len(set(used)) == len(used) == 8
    for role_id in used:
        (statement,) = roles[role_id]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        assert statement["Principal"] == {"Service": "lambda.amazonaws.com"}


def test_bedrock_allows_the_inference_profile_and_the_models_it_routes_to(
    synthesized: Synthesized,
) -> None:
    """Converse on a cross-region profile needs InvokeModel on the profile (this region)
    and on its foundation model in every region it routes to, here only via the profile."""
    model_id = synthesized.context["vitrine:bedrock:modelId"]
    base = model_id.split(".", 1)[1]
    profile = (
        "arn:<AWS::Partition>:bedrock:<AWS::Region>:<AWS::AccountId>:inference-profile/"
        + model_id
    )
    # The comparison runs' image models (training role): test_cdk_comparisons.py.
    bedrock = [
        (where, s) for where, s in _statements(synthesized)
        if "bedrock:InvokeModel" in _as_list(s["Action"])
        and not where.split("/")[1].startswith("TrainingRole")
    ]
    roles = {where.split("/")[1][:6] for where, _ in bedrock}
    assert roles == {"ApiRol", "Worker"}
    for _, statement in bedrock:
        resources = [flatten_reference(r) for r in _as_list(statement["Resource"])]
        if "Condition" in statement:
            assert resources == [f"arn:<AWS::Partition>:bedrock:*::foundation-model/{base}"]
            (condition,) = statement["Condition"]["StringEquals"].values()
            assert flatten_reference(condition) == profile
        else:
            assert profile in resources
    assert sum("Condition" in s for _, s in bedrock) == 2  # one per role


def test_only_the_api_seals_and_only_the_sender_opens_webhook_secrets(
    synthesized: Synthesized,
) -> None:
    """Tenants' webhook secrets: the API encrypts (create/rotate), the webhook sender
    decrypts (signing); nobody else may use their key, and only for that purpose."""
    uses = {}
    for where, statement in _statements(synthesized):
        resources = [flatten_reference(r) for r in _as_list(statement["Resource"])]
        if any("WebhookSecretsKey" in r for r in resources):
            role = where.split("/")[1].split("Role")[0]
            uses[role] = sorted(_as_list(statement["Action"]))
            assert statement["Condition"] == {
                "StringEquals": {"kms:EncryptionContext:purpose": "vitrine-webhook-secrets"}
            }
    assert uses == {"Api": ["kms:Encrypt"], "WebhookSender": ["kms:Decrypt"]}


def test_only_the_sweep_reads_the_pending_webhooks_index(synthesized: Synthesized) -> None:
    readers = {
        where.split("/")[1].split("Role")[0]
        for where, statement in _statements(synthesized)
        for resource in _as_list(statement["Resource"])
        if flatten_reference(resource).endswith("/index/webhooks_due")
    }
    assert readers == {"WebhookSweeper"}
