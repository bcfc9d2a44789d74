"""One synthesized Vitrine app for every CDK test (synth takes seconds; do it once).

The app is built from ``cdk.json``'s context with a few test overrides: a code-only
Lambda asset (the infrastructure is under test, not the dependencies; the real asset is
built once in ``test_lambda_asset.py``), two partner keys, a CORS origin, an alarm
e-mail and a Bedrock guardrail, so that the optional parts are synthesized too. The
cdk-nag AwsSolutions checks run during that synth: any unacknowledged finding fails it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
REPO_ROOT = Path(__file__).resolve().parents[2]
# `cdk` must be the repo's package, not the namespace that tests/cdk would make of it.
sys.path.insert(0, str(REPO_ROOT))

from aws_cdk.assertions import Template  # noqa: E402

from cdk.app import build_app, cdk_json_context  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from aws_cdk import App

PREFIX = "Vitrine"
STACKS = ("Storage", "Models", "Api", "Monitoring")
TEST_OVERRIDES: dict[str, object] = {
    "vitrine:lambdaAsset": "code-only",
    "vitrine:partnerKeys": {"acme": "starter", "globex": "pro"},
    "vitrine:corsAllowOrigins": ["https://shop.example.com"],
    "vitrine:alarmEmail": "ops@example.com",
    "vitrine:bedrock:guardrailId": "gr0example",
    # The regional S3 prefix list (a deploy looks it up; tests are account-agnostic).
    "vitrine:adapters:s3PrefixListId": "pl-6da54004",
}


@dataclass(frozen=True)
class Synthesized:
    app: App
    outdir: Path
    context: dict[str, Any]
    templates: dict[str, dict[str, Any]]  # by short name: Storage, Models, Api, Monitoring

    def template_path(self, name: str) -> Path:
        return self.outdir / f"{PREFIX}-{name}.template.json"

    def template(self, name: str) -> Template:
        return Template.from_json(self.templates[name])

    def resources(self, name: str, type_: str) -> dict[str, dict[str, Any]]:
        return {
            logical_id: resource
            for logical_id, resource in self.templates[name]["Resources"].items()
            if resource["Type"] == type_
        }


def context_for_tests() -> dict[str, Any]:
    return {**cdk_json_context(), **TEST_OVERRIDES}


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    outdir = tmp_path_factory.mktemp("cdk.out")
    context = context_for_tests()
    app = build_app(context=context, outdir=str(outdir))
    assembly = app.synth()
    templates = {name: assembly.get_stack_by_name(f"{PREFIX}-{name}").template for name in STACKS}
    return Synthesized(app=app, outdir=outdir, context=context, templates=templates)


@pytest.fixture
def synth_template(tmp_path: Path) -> Callable[[str, Mapping[str, object]], dict[str, Any]]:
    """Synthesize the app with extra context overrides; returns one stack's template."""

    def synth(stack: str, overrides: Mapping[str, object]) -> dict[str, Any]:
        app = build_app(context={**context_for_tests(), **overrides}, outdir=str(tmp_path))
        template: dict[str, Any] = app.synth().get_stack_by_name(f"{PREFIX}-{stack}").template
        return template

    return synth
