"""Cold-start proxy: import time of the Lambda entrypoint vs its bare dependencies.

Each sample is a fresh interpreter (as a Lambda cold start is), timed from inside with
``perf_counter`` around the import, so interpreter start-up is excluded from both sides.
Prints medians, the ratio, and whether heavy modules leaked onto the request path.

    python benchmarks/cold_import.py [--runs 7] [--profile local|aws]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "transformers", "diffusers", "sagemaker", "numpy", "pandas")

PROBE = """
import json, sys, time
t0 = time.perf_counter()
{imports}
dt = time.perf_counter() - t0
heavy = [m for m in {heavy!r} if m in sys.modules]
print(json.dumps({{"seconds": dt, "heavy": heavy, "modules": len(sys.modules)}}))
"""

BARE = "import fastapi, mangum, boto3, pydantic"
HANDLER = "import lambdas.api_handler"

AWS_ENV = {
    "VITRINE_PROFILE": "aws",
    "VITRINE_WEBHOOK_SECRET": "bench-webhook-secret-0123456789abcdef",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "VITRINE_UPLOADS_BUCKET": "uploads",
    "VITRINE_RESULTS_BUCKET": "results",
    "VITRINE_MODELS_BUCKET": "models",
    "VITRINE_JOBS_TABLE": "jobs",
    "VITRINE_JOBS_QUEUE_URL": "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs",
    "VITRINE_WEBHOOK_QUEUE_URL": "https://sqs.eu-west-1.amazonaws.com/123456789012/webhooks",
}


def sample(imports: str, env: dict[str, str]) -> dict[str, object]:
    code = PROBE.format(imports=imports, heavy=HEAVY)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profile", choices=("local", "aws"), default="local")
    args = parser.parse_args()
    env = {**os.environ, "VITRINE_PROFILE": args.profile, "PYTHONDONTWRITEBYTECODE": "0"}
    if args.profile == "aws":
        env.update(AWS_ENV)
    else:
        env.setdefault("VITRINE_API_KEYS", "bench:bench")
    sample(HANDLER, env)  # warm the bytecode cache once, as a deployed package has it
    # Interleaved, so both sides see the same background load on a noisy machine.
    bare, handler = [], []
    for _ in range(args.runs):
        bare.append(sample(BARE, env))
        handler.append(sample(HANDLER, env))
    bare_s = statistics.median(float(s["seconds"]) for s in bare)  # type: ignore[arg-type]
    hand_s = statistics.median(float(s["seconds"]) for s in handler)  # type: ignore[arg-type]
    heavy = sorted({m for s in handler for m in s["heavy"]})  # type: ignore[attr-defined]
    print(f"profile={args.profile} runs={args.runs} (median, fresh interpreter each)")
    print(f"  bare fastapi+mangum+boto3+pydantic : {bare_s * 1000:7.1f} ms")
    print(f"  import lambdas.api_handler         : {hand_s * 1000:7.1f} ms "
          f"({handler[0]['modules']} modules)")
    print(f"  ratio handler / bare               : {hand_s / bare_s:7.2f}x")
    print(f"  heavy modules on the request path  : {', '.join(heavy) or 'none'}")
    if heavy:
        sys.exit(1)


if __name__ == "__main__":
    main()
