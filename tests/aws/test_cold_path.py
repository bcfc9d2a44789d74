"""The API Lambda's cold path on the aws profile stays light (checked in a fresh process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from api.adapters.aws.wiring import build
from api.adapters.lazy import lazy
from tests.aws.conftest import aws_settings

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "transformers", "diffusers", "sagemaker", "numpy")
# What the API Lambda imports only when a request needs it (issue 9, cold path): Pillow
# where an image is decoded, the adapters built on first use (and what they import),
# the commands and results a request builds.
LAZY = (
    "PIL",
    "httpx",
    "tarfile",
    "api.adapters.aws.sagemaker_runtime",
    "api.adapters.aws.triton",
    "api.adapters.aws.sagemaker_training",
    "api.adapters.aws.avatars",
    "api.adapters.aws.mme",
    "api.adapters.aws.bedrock",
    "api.adapters.aws.moderation",
    "api.adapters.webhooks",
    "api.domain.commands",
    "api.domain.results",
)
PROBE = f"""
import json, sys
import lambdas.api_handler as h
assert callable(h.handler)
print(json.dumps({{
    "heavy": sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r} + (
        'aws_lambda_powertools', 'moto') or m.startswith('api.adapters.local')),
    "lazy": sorted(m for m in sys.modules if m in {LAZY!r} or m.startswith('PIL.')),
}}))
"""


def _cold_import() -> dict[str, list[str]]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("VITRINE_")},
        "VITRINE_PROFILE": "aws",
        "VITRINE_WEBHOOK_SECRET": "test-webhook-secret-0123456789abcdef",
        "VITRINE_AWS_REGION": "eu-west-1",
        "VITRINE_UPLOADS_BUCKET": "u",
        "VITRINE_RESULTS_BUCKET": "r",
        "VITRINE_MODELS_BUCKET": "m",
        "VITRINE_JOBS_TABLE": "t",
        "VITRINE_JOBS_QUEUE_URL": "https://sqs.eu-west-1.amazonaws.com/123456789012/q",
        "VITRINE_WEBHOOK_QUEUE_URL": "https://sqs.eu-west-1.amazonaws.com/123456789012/w",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_api_handler_imports_no_model_libraries_on_aws():
    # Neither the model stack, the worker-side Powertools nor the local adapters load.
    assert _cold_import()["heavy"] == []


def test_api_handler_cold_import_defers_what_requests_may_not_need():
    # Pillow, tarfile, httpx, the rarely used adapters, commands and results: none is
    # imported until a request needs it (the API tests exercise those requests).
    assert _cold_import()["lazy"] == []


def test_lazy_adapters_are_built_on_first_use_as_their_aws_class():
    adapters = build(aws_settings())
    built = {
        "runtime": adapters.runtime.invoke,
        "training": adapters.training.launch,
        "avatars": adapters.avatars.register,
        "copywriter": adapters.copywriter.write,
        "moderator": adapters.moderator.check_text,
        "webhooks": adapters.webhooks.send,
    }
    names = {port: type(method.__self__).__name__ for port, method in built.items()}
    assert names == {
        "runtime": "SageMakerModelRuntime",
        "training": "SageMakerTrainingLauncher",
        "avatars": "MmeAvatarRegistry",
        "copywriter": "BedrockCopywriter",
        "moderator": "AwsModerator",
        "webhooks": "HttpWebhookSender",
    }


def test_lazy_builds_once_and_delegates():
    calls: list[int] = []

    class Port:
        def hello(self) -> str:
            return "hi"

    def factory() -> Port:
        calls.append(1)
        return Port()

    port = lazy(factory)
    assert calls == []
    assert port.hello() == "hi"
    assert port.hello() == "hi"
    assert calls == [1]
