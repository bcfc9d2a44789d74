"""Deployment configuration: cdk.json is complete and documented, ``-c`` strings parse,
bad values fail synth with a clear message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App

from cdk.app import cdk_json_context
from cdk.config import ConfigError, known_keys, load_config

REPO_ROOT = Path(__file__).resolve().parents[2]


def _config(**overrides: Any) -> Any:
    context = {**cdk_json_context(), **{f"vitrine:{k}": v for k, v in overrides.items()}}
    return load_config(App(context=context).node)


def test_cdk_json_runs_the_app_with_the_project_venv() -> None:
    document = json.loads((REPO_ROOT / "cdk.json").read_text())
    assert document["app"] == ".venv/bin/python cdk/app.py"


def test_every_context_key_is_read_and_documented() -> None:
    context = cdk_json_context()
    ours = {key for key in context if key.startswith("vitrine:")}
    assert known_keys(App(context=context).node) == ours
    readme = (REPO_ROOT / "cdk" / "README.md").read_text()
    undocumented = sorted(key for key in ours if f"`{key}`" not in readme)
    assert undocumented == []


def test_defaults_parse() -> None:
    config = _config()
    assert config.lambda_asset == "build"
    assert set(config.models) == {"segmentation", "attributes", "tryon", "avatar",
                                  "generation"}
    assert config.models["avatar"].model_data_key is None
    assert set(config.usage_plans) == {"starter", "pro"}


def test_command_line_strings_parse() -> None:
    """``cdk deploy -c key=value`` passes strings."""
    config = _config(
        **{"tryon:maxInstances": "4", "tryon:backlogPerInstance": "2.5"},
        corsAllowOrigins="https://a.example, https://b.example",
        partnerKeys='{"acme": "pro"}',
        logRetentionDays="30",
    )
    assert config.tryon_max_instances == 4
    assert config.tryon_backlog_per_instance == 2.5
    assert config.cors_allow_origins == ("https://a.example", "https://b.example")
    assert dict(config.partner_keys) == {"acme": "pro"}
    assert config.log_retention_days == 30


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"lambdaAsset": "docker"}, "build|code-only"),
        ({"partnerKeys": {"acme": "gold"}}, "unknown usage plan 'gold'"),
        ({"logRetentionDays": 45}, "logRetentionDays"),
        ({"stackPrefix": "my_stack"}, "stackPrefix"),
        ({"mmePrefix": "avatars"}, "ending in /"),
        ({"tryon:maxInstances": "many"}, "integer"),
        ({"usagePlans": {"basic": {"rateLimit": 1}}}, "quotaPeriod"),
        ({"segmentation:imageUri": None}, "missing"),
    ],
)
def test_bad_values_fail_with_the_key_named(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _config(**overrides)


def test_synth_as_a_script_writes_every_stack(tmp_path: Path) -> None:
    """``python cdk/app.py`` (make synth), with the context the CLI would pass."""
    context = {**cdk_json_context(), "vitrine:lambdaAsset": "code-only"}
    env = {
        **os.environ,
        "CDK_CONTEXT_JSON": json.dumps(context),
        "CDK_OUTDIR": str(tmp_path),
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
    }
    completed = subprocess.run(
        [sys.executable, "cdk/app.py"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    for stack in ("Storage", "Models", "Api", "Monitoring"):
        assert (tmp_path / f"Vitrine-{stack}.template.json").is_file()


def test_missing_built_asset_stops_synth(tmp_path: Path) -> None:
    from cdk.asset import LambdaAssetMissing, lambda_code

    config = _config(lambdaAssetDir=str(tmp_path / "absent"))
    with pytest.raises(LambdaAssetMissing, match="build_lambda_asset.py"):
        lambda_code(config, outdir=tmp_path)
