"""The seven Lambdas: one runtime and architecture (the asset build's), the settings
contract (``api/settings.py``) as environment, encrypted environments, logs, tracing."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from api.settings import Settings
from cdk.asset import CODE_ONLY_NOTE
from cdk.settings_env import UnknownSetting, env_name, settings_environment

if TYPE_CHECKING:
    from types import ModuleType

    from conftest import Synthesized

REPO_ROOT = Path(__file__).resolve().parents[2]
HANDLERS = {
    "lambdas.api_handler.handler",
    "lambdas.worker.handler",
    "lambdas.training_events.handler",
    "lambdas.async_results.handler",
    "lambdas.dead_jobs.handler",
    "lambdas.webhook_sender.handler",
    "lambdas.webhook_sender.sweep",
    "lambdas.handoff_timeouts.handler",
}
# Settings naming AWS resources: the aws profile needs every one of them set.
RESOURCE_SUFFIXES = ("_bucket", "_table", "_endpoint", "_queue_url", "_role_arn", "_image_uri")


def _functions(synthesized: Synthesized) -> list[dict[str, Any]]:
    return [f["Properties"] for f in synthesized.resources("Api", "AWS::Lambda::Function").values()]


def _build_script() -> ModuleType:
    path = REPO_ROOT / "scripts" / "build_lambda_asset.py"
    spec = importlib.util.spec_from_file_location("build_lambda_asset", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_seven_functions_with_their_handlers(synthesized: Synthesized) -> None:
    assert {f["Handler"] for f in _functions(synthesized)} == HANDLERS
    for handler in HANDLERS:
        module = handler.rsplit(".", 1)[0]
        assert (REPO_ROOT / (module.replace(".", "/") + ".py")).is_file(), module


def test_one_runtime_and_architecture_matching_the_asset_build(synthesized: Synthesized) -> None:
    script = _build_script()
    runtimes = {f["Runtime"] for f in _functions(synthesized)}
    architectures = {tuple(f["Architectures"]) for f in _functions(synthesized)}
    assert runtimes == {f"python{script.PYTHON_VERSION}"}
    (expected,) = {"arm64" if p.endswith("aarch64") else "x86_64" for p in script.PLATFORMS}
    assert architectures == {(expected,)}


def test_runtime_is_supported_past_2028_on_amazon_linux_2023(synthesized: Synthesized) -> None:
    """python3.11 and 3.10 are deprecated on 2026-06-30 (Lambda runtimes table); 3.12 runs
    to 2028-10-31, 3.13 to 2029-06-30, both on AL2023."""
    runtimes = {f["Runtime"] for f in _functions(synthesized)}
    assert runtimes <= {"python3.12", "python3.13", "python3.14"}, runtimes


def test_environment_names_are_settings_fields(synthesized: Synthesized) -> None:
    known = {env_name(field) for field in Settings.model_fields}
    for function in _functions(synthesized):
        variables = function["Environment"]["Variables"]
        ours = {name for name in variables if name.startswith("VITRINE_")}
        assert ours <= known, ours - known
        assert variables["VITRINE_PROFILE"] == "aws"


def test_every_aws_resource_setting_is_wired(synthesized: Synthesized) -> None:
    """A new ``*_bucket``/``*_endpoint``/... setting fails here until a stack sets it."""
    required = {
        env_name(field) for field in Settings.model_fields if field.endswith(RESOURCE_SUFFIXES)
    }
    assert {"VITRINE_JOBS_TABLE", "VITRINE_TRYON_ENDPOINT", "VITRINE_TRAINING_ROLE_ARN"} <= required
    for function in _functions(synthesized):
        variables = function["Environment"]["Variables"]
        assert required <= set(variables), required - set(variables)
        for extra in (
            "VITRINE_KMS_KEY_ID",
            "VITRINE_JOBS_TABLE_KIND_INDEX",
            "VITRINE_JOBS_TABLE_RUNNING_INDEX",
            "VITRINE_MME_PREFIX",
            "VITRINE_ASYNC_INPUT_PREFIX",
            "VITRINE_WEBHOOK_SECRET",
        ):
            assert extra in variables


PER_FUNCTION = {"VITRINE_MODEL_READ_TIMEOUT_SECONDS", "VITRINE_MODEL_MAX_ATTEMPTS"}


def test_functions_share_one_environment_but_for_per_function_settings(
    synthesized: Synthesized,
) -> None:
    environments = [
        {k: v for k, v in f["Environment"]["Variables"].items() if k not in PER_FUNCTION}
        for f in _functions(synthesized)
    ]
    assert all(env == environments[0] for env in environments)


def test_api_function_gives_up_on_models_before_api_gateway_does(
    synthesized: Synthesized,
) -> None:
    # API Gateway stops at 29 s; a model call must time out first to answer a clear 504.
    (api,) = [f for f in _functions(synthesized) if f["Handler"] == "lambdas.api_handler.handler"]
    timeout = float(api["Environment"]["Variables"]["VITRINE_MODEL_READ_TIMEOUT_SECONDS"])
    assert timeout < 29 <= api["Timeout"]


def test_webhook_secret_is_a_dynamic_reference(synthesized: Synthesized) -> None:
    (function, *_) = _functions(synthesized)
    secret = function["Environment"]["Variables"]["VITRINE_WEBHOOK_SECRET"]
    parts = secret["Fn::Join"][1]
    assert parts[0] == "{{resolve:secretsmanager:" and parts[-1].startswith(":SecretString")


def test_environment_and_logs_are_protected(synthesized: Synthesized) -> None:
    log_groups = synthesized.resources("Api", "AWS::Logs::LogGroup")
    retention = synthesized.context["vitrine:logRetentionDays"]
    for function in _functions(synthesized):
        assert "KmsKeyArn" in function
        assert function["TracingConfig"] == {"Mode": "Active"}
        assert function["LoggingConfig"]["LogFormat"] == "JSON"
        group = log_groups[function["LoggingConfig"]["LogGroup"]["Ref"]]
        assert group["Properties"]["RetentionInDays"] == retention
        # The test app uses the code-only asset: the functions say so.
        assert CODE_ONLY_NOTE in function["Description"]


def test_event_driven_functions_keep_failed_events(synthesized: Synthesized) -> None:
    with_dlq = {f["Handler"] for f in _functions(synthesized) if "DeadLetterConfig" in f}
    assert with_dlq == {
        "lambdas.training_events.handler", "lambdas.async_results.handler",
        "lambdas.webhook_sender.sweep",
    }  # fmt: skip


def test_settings_environment_rejects_unknown_fields() -> None:
    assert settings_environment({"jobs_table": "t", "kms_key_id": None}) == {
        "VITRINE_JOBS_TABLE": "t"
    }
    with pytest.raises(UnknownSetting, match="jobs_tabel"):
        settings_environment({"jobs_tabel": "t"})
