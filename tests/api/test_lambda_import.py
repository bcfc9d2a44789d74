"""The API Lambda's import path stays free of heavy ML packages (cold starts)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("torch", "transformers", "diffusers", "sagemaker", "numpy")


# The aws profile builds boto3 clients (no calls) from these names; the values are fake.
AWS_ENV = {
    "AWS_DEFAULT_REGION": "us-east-1",
    "VITRINE_AWS_REGION": "us-east-1",
    "VITRINE_UPLOADS_BUCKET": "uploads",
    "VITRINE_RESULTS_BUCKET": "results",
    "VITRINE_MODELS_BUCKET": "models",
    "VITRINE_JOBS_TABLE": "jobs",
    "VITRINE_JOBS_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/jobs",
    "VITRINE_WEBHOOK_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/webhooks",
    "VITRINE_WEBHOOK_SECRET": "test-webhook-secret-0123456789abcdef",
}


@pytest.mark.parametrize("profile", ["local", "aws"])
def test_import_api_handler_loads_no_heavy_packages(tmp_path: Path, profile: str) -> None:
    script = (
        "import json, sys\n"
        "import lambdas.api_handler as h\n"
        "assert callable(h.handler)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(json.dumps(bad))\n"
    )
    env = {
        **os.environ,
        **(AWS_ENV if profile == "aws" else {}),
        "VITRINE_PROFILE": profile,
        "VITRINE_DATA_DIR": str(tmp_path / "data"),
        "VITRINE_API_KEYS": "k:t",
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


# Where the SageMaker SDK *is* installed (the ops venv, `make ops`: the project and the
# ops extra), no Lambda entry point loads it; the SDK import at the end shows the probe
# sees it when something does.
OPS_PYTHON = ROOT / ".venv" / "ops" / "bin" / "python"
HANDLERS = ("api_handler", "worker", "training_events", "async_results", "dead_jobs",
            "webhook_sender", "handoff_timeouts")  # fmt: skip


def test_no_lambda_loads_the_sagemaker_sdk_where_it_is_installed(tmp_path: Path) -> None:
    if not OPS_PYTHON.is_file():
        pytest.fail("the ops venv is missing: make ops")
    script = (
        "import json, sys\n"
        + "".join(f"import lambdas.{name}\n" for name in HANDLERS)
        + "import model_artifacts.cli\n"  # the CLI loads the SDK only to run a job
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'sagemaker')\n"
        "import sagemaker.core.resources\n"
        "print(json.dumps([bad, 'sagemaker.core.resources' in sys.modules]))\n"
    )
    env = {**os.environ, **AWS_ENV, "VITRINE_PROFILE": "aws",
           "VITRINE_DATA_DIR": str(tmp_path / "data"), "POWERTOOLS_TRACE_DISABLED": "true"}
    done = subprocess.run([str(OPS_PYTHON), "-c", script], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [[], True]
