"""The API Lambda's cold path on the aws profile stays light (checked in a fresh process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "transformers", "diffusers", "sagemaker", "numpy")
PROBE = f"""
import json, sys
import lambdas.api_handler as h
assert callable(h.handler)
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r} + (
    'aws_lambda_powertools', 'moto') or m.startswith('api.adapters.local'))))
"""


def test_api_handler_imports_no_model_libraries_on_aws():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("VITRINE_")},
        "VITRINE_PROFILE": "aws",
        "VITRINE_AWS_REGION": "eu-west-1",
        "VITRINE_UPLOADS_BUCKET": "u",
        "VITRINE_RESULTS_BUCKET": "r",
        "VITRINE_MODELS_BUCKET": "m",
        "VITRINE_JOBS_TABLE": "t",
        "VITRINE_JOBS_QUEUE_URL": "https://sqs.eu-west-1.amazonaws.com/123456789012/q",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    # Neither the model stack, the worker-side Powertools nor the local adapters load.
    assert loaded == []
