"""The Vitrine CDK app: four stacks by concern (storage, models, api, monitoring).

Run as ``python cdk/app.py`` (``make synth``: offline, no Docker, no AWS credentials) it
reads the context from ``cdk.json`` and writes ``cdk.out/``; run by the CDK CLI
(``cdk synth|deploy``, which executes this file through ``cdk.json``) it takes the
context and output folder the CLI passes. cdk-nag's AwsSolutions checks run on every
synth: an unacknowledged finding fails it. checkov's accepted findings are written into the
templates' metadata (``cdk/checkov_acknowledgments.py``).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

REPO_ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    # As a script, sys.path[0] is cdk/ itself: put the repo root there instead, so that
    # `cdk` and `api` resolve to the packages.
    sys.path[0] = str(REPO_ROOT)
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from aws_cdk import Annotations, App, Environment, Tags  # noqa: E402

from cdk.asset import CODE_ONLY_NOTE, lambda_code  # noqa: E402
from cdk.checkov_acknowledgments import (  # noqa: E402
    acknowledge_api,
    acknowledge_models,
    acknowledge_storage,
)
from cdk.config import load_config  # noqa: E402
from cdk.nag import add_nag_checks  # noqa: E402
from cdk.stacks.api import ApiStack  # noqa: E402
from cdk.stacks.models import ModelsStack  # noqa: E402
from cdk.stacks.monitoring import MonitoringStack  # noqa: E402
from cdk.stacks.storage import StorageStack  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Mapping

CDK_JSON = REPO_ROOT / "cdk.json"


def cdk_json_context(path: Path = CDK_JSON) -> dict[str, object]:
    """The ``context`` block of ``cdk.json`` (what the CLI would pass)."""
    context = json.loads(path.read_text())["context"]
    if not isinstance(context, dict):
        raise ValueError(f"{path}: 'context' must be an object")
    return context


def build_app(*, context: Mapping[str, object] | None = None, outdir: str | None = None) -> App:
    """The app with every stack, before synth. ``context=None`` takes the CLI's context."""
    app = App(context=dict(context) if context is not None else None, outdir=outdir)
    config = load_config(app.node)
    env = Environment(
        account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION")
    )
    prefix = config.stack_prefix
    code = lambda_code(config, outdir=Path(app.outdir))
    storage = StorageStack(
        app,
        f"{prefix}-Storage",
        config=config,
        env=env,
        description="Vitrine storage: S3 buckets, jobs table, data key",
    )
    models = ModelsStack(
        app,
        f"{prefix}-Models",
        config=config,
        storage=storage,
        env=env,
        description="Vitrine models: SageMaker endpoints, inference and training roles",
    )
    # Consumers name the data buckets rather than reference them: order the deployments.
    models.add_stack_dependency(storage)
    code_note = CODE_ONLY_NOTE if config.lambda_asset == "code-only" else None
    api = ApiStack(
        app,
        f"{prefix}-Api",
        config=config,
        storage=storage,
        models=models,
        code=code,
        code_note=code_note,
        env=env,
        description="Vitrine API: REST APIs, Cognito, WAF, Lambdas, jobs queue, events",
    )
    if code_note:
        Annotations.of(api).add_warning_v2("vitrine:code-only-asset", code_note)
    MonitoringStack(
        app,
        f"{prefix}-Monitoring",
        config=config,
        models=models,
        api=api,
        env=env,
        description="Vitrine monitoring: alarms and dashboard",
    )
    Tags.of(app).add("project", "vitrine")
    add_nag_checks(app)
    # checkov's accepted findings, all in one reviewed module (tests/cdk/test_checkov.py).
    acknowledge_storage(storage)
    acknowledge_api(api)
    acknowledge_models(models)
    return app


def main() -> None:
    if "CDK_CONTEXT_JSON" in os.environ or "CDK_OUTDIR" in os.environ:
        app = build_app()  # run by the CDK CLI
    else:
        app = build_app(context=cdk_json_context(), outdir=str(REPO_ROOT / "cdk.out"))
    app.synth()


if __name__ == "__main__":
    main()
