"""``make demo``: the API on the embedded default, every capability driven over HTTP.

Builds the tiny offline models when no real weights are configured, starts the API on
127.0.0.1, calls it as a storefront would (API key, uploads, jobs, webhooks-free
polling), writes ``demo-output/index.html`` and prints a summary.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

from demo import flows
from demo.client import VitrineClient
from demo.gallery import write_gallery
from demo.sample import fashion_photo
from demo.server import running_api

DEMO_KEY, DEMO_TENANT = "demo-key-storefront", "storefront-demo"
OTHER_KEY, OTHER_TENANT = "demo-key-other", "other-tenant"
MODELS = ("clipseg", "inpainting", "blip2", "avatar", "clip")


def ensure_models(models_dir: Path) -> bool:
    """Build tiny models for any model dir that is missing; return whether any is tiny."""
    from model_artifacts.tiny import build_all, is_tiny

    missing = [m for m in MODELS if not (models_dir / m).is_dir()]
    if missing:
        print(f"• no weights for {', '.join(missing)} in {models_dir}: building tiny offline "
              "models (random weights)")
        build_all(models_dir)
    return any(is_tiny(models_dir / m) for m in MODELS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("demo-output"))
    parser.add_argument("--image", type=Path, help="your own fashion photo (JPEG/PNG/WebP)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    models_dir = Path(os.environ.get("VITRINE_MODELS_DIR", "models")).resolve()
    tiny = ensure_models(models_dir)

    out: Path = args.out
    shutil.rmtree(out, ignore_errors=True)
    (out / "img").mkdir(parents=True)
    photo = args.image.read_bytes() if args.image else fashion_photo()
    env = {
        "VITRINE_PROFILE": "local",
        "VITRINE_MODELS_DIR": str(models_dir),
        "VITRINE_DATA_DIR": str((out / "state").resolve()),
        "VITRINE_API_KEYS": f"{DEMO_KEY}:{DEMO_TENANT},{OTHER_KEY}:{OTHER_TENANT}",
    }
    if tiny:
        # A CPU and a random-weight base: a few steps at the tiny model's size show the
        # training path end to end; real training uses the defaults (400 steps, 512 px).
        env |= {"VITRINE_AVATAR_TRAIN_STEPS": "6", "VITRINE_AVATAR_RESOLUTION": "64",
                "VITRINE_STYLE_TRAIN_STEPS": "4", "VITRINE_STYLE_RESOLUTION": "64",
                "VITRINE_PRODUCT_TRAIN_STEPS": "2", "VITRINE_PRODUCT_RESOLUTION": "64",
                "VITRINE_CONCEPT_TRAIN_STEPS": "2", "VITRINE_CONCEPT_RESOLUTION": "64"}
    print(f"• starting the API (local profile, models from {models_dir})")
    with running_api(env, out / "server.log") as base:
        client = VitrineClient(base, DEMO_KEY)
        try:
            results = flows.run_all(client, photo, out / "img", other_key=OTHER_KEY)
        finally:
            client.close()
    seconds = time.perf_counter() - started
    (out / "results.json").write_text(json.dumps(results, indent=2, default=str))
    index = write_gallery(out, results, client.calls, tiny=tiny, seconds=seconds)
    flows.print_summary(results, client.calls, tiny=tiny, seconds=seconds, index=index)
    return 0


if __name__ == "__main__":
    sys.exit(main())
