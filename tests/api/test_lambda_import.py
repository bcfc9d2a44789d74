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
