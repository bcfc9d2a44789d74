"""Comparisons (issue 12) in the stacks: the run's role may call the configured Bedrock
image models and nothing else of Bedrock; the CLIP checkpoint is wired to the functions;
the training-events Lambda may store a report's images in results and moderate them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cdk.nag import flatten_reference

if TYPE_CHECKING:
    from conftest import Synthesized


def _policy_of(synthesized: Synthesized, stack: str, role_fragment: str) -> list[dict[str, Any]]:
    statements: list[dict[str, Any]] = []
    for policy in synthesized.resources(stack, "AWS::IAM::Policy").values():
        roles = [flatten_reference(r) for r in policy["Properties"]["Roles"]]
        if any(role_fragment in str(role) for role in roles):
            statements += policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def _actions(statement: dict[str, Any]) -> list[str]:
    actions = statement["Action"]
    return actions if isinstance(actions, list) else [actions]


def _resources(statement: dict[str, Any]) -> list[str]:
    resources = statement["Resource"]
    listed = resources if isinstance(resources, list) else [resources]
    return [flatten_reference(r) for r in listed]


def test_the_training_role_invokes_exactly_the_configured_image_models(
    synthesized: Synthesized,
) -> None:
    statements = _policy_of(synthesized, "Models", "TrainingRole")
    bedrock = [s for s in statements if any(a.startswith("bedrock:") for a in _actions(s))]
    assert {a for s in bedrock for a in _actions(s)} == {"bedrock:InvokeModel"}
    resources = sorted(r for s in bedrock for r in _resources(s))
    configured = synthesized.context["vitrine:comparison:bedrockImageModelIds"]
    assert len(resources) == len(configured) == 2
    for model_id, resource in zip(sorted(configured), resources, strict=True):
        assert resource.endswith(f":foundation-model/{model_id}")


def test_functions_know_where_the_clip_checkpoint_is(synthesized: Synthesized) -> None:
    key = synthesized.context["vitrine:comparison:clipModelKey"]
    for function in synthesized.resources("Api", "AWS::Lambda::Function").values():
        variables = function["Properties"]["Environment"]["Variables"]
        uri = str(flatten_reference(variables["VITRINE_CLIP_MODEL_URI"]))
        assert uri.startswith("s3://") and uri.endswith(f"/{key}")


def test_training_events_store_and_moderate_a_reports_images(synthesized: Synthesized) -> None:
    statements = _policy_of(synthesized, "Api", "TrainingEvents")
    actions = {a for s in statements for a in _actions(s)}
    assert {"s3:PutObject", "rekognition:DetectModerationLabels", "s3:DeleteObject"} <= actions
    writes = [r for s in statements if "s3:PutObject" in _actions(s) for r in _resources(s)]
    assert any("vitrine-results" in w for w in writes)
