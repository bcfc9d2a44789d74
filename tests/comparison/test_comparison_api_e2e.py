"""A comparison through the real API, end to end: ``POST /v1/comparisons`` on a live local
server (uvicorn, tiny models), the real ``comparison/run.py`` in the launcher's child
process, progress in images, the scored grid with image URLs; then the report page in
Debian's Chromium in API mode: a "best" click POSTs the ratings and shows the human win
rate the server computed (tests/comparison/comparison_api.test.mjs).

Set ``VITRINE_COMPARISON_SCREENSHOT`` to keep a screenshot of the rated page.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from demo.server import running_api

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
KEY = "comparison-e2e-key"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live_api(tiny_models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    state = tmp_path_factory.mktemp("comparison-api")
    env = {k: v for k, v in os.environ.items() if not k.startswith("VITRINE_")}
    env |= {
        "VITRINE_PROFILE": "local",
        "VITRINE_MODELS_DIR": str(tiny_models_dir),
        "VITRINE_DATA_DIR": str(state / "data"),
        "VITRINE_API_KEYS": f"{KEY}:comparison-tenant",
    }
    with running_api(env, state / "server.log") as base:
        yield base


def photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.effect_noise((64, 64), 60).convert("RGB").save(out, format="PNG")
    return out.getvalue()


def upload(api: httpx.Client, data: bytes) -> str:
    created = api.post("/v1/uploads", json={"content_type": "image/png",
                                             "size_bytes": len(data)}).json()
    target = created["upload"]
    put = httpx.put(target["url"], content=data, headers=target["headers"])
    assert put.status_code == 204, put.text
    return str(created["upload_id"])


def test_a_comparison_through_the_api_and_rated_in_the_page(
    live_api: str, tmp_path: Path
) -> None:
    api = httpx.Client(base_url=live_api, headers={"x-api-key": KEY}, timeout=30)
    reference = upload(api, photo())
    created = api.post("/v1/comparisons", json={
        "prompts": [{"prompt": "a red linen shirt", "reference_image": reference},
                    {"prompt": "a blue denim jacket"}],
        "models": [{"name": "sdxl", "type": "sdxl"},
                   {"name": "canny", "type": "sdxl", "control": {"type": "canny"}}],
        "seed": 7, "steps": 2})  # fmt: skip
    assert created.status_code == 202, created.text
    location = created.headers["location"]
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + 300
    while True:
        view = api.get(location).json()
        if view.get("progress"):
            seen.append(view["progress"])
        if view["status"] in ("succeeded", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    assert view["status"] == "succeeded", view
    result = view["result"]
    assert result["tiny_models"] is True
    assert result["scorer"]["metric"] == "clip_score"
    cells = {(c["prompt"], c["model"]): c for c in result["cells"]}
    assert cells[1, "canny"]["status"] == "skipped"  # no reference photo on that row
    done = [c for c in result["cells"] if c["status"] == "succeeded"]
    assert len(done) == 3
    for cell in done:  # CLIP scored by the run, cost from the settings' price table
        assert isinstance(cell["clip_score"], float)
        # (priced on the seconds shown; report.json rounds costs to 8 decimals)
        assert cell["cost_usd"] == pytest.approx(cell["model_seconds"] * 1.515 / 3600, abs=1e-8)
        image = httpx.get(cell["image"])
        assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert any(p.get("unit") == "images" for p in seen) or not seen, seen

    if not CHROMIUM.exists():
        pytest.fail("Chromium missing: `make test` installs it (apt-get install chromium)")
    if not (ROOT / "node_modules" / "playwright-core").exists():
        if shutil.which("npm") is None:
            pytest.fail("Node/npm missing: `make test` installs the Node tooling (npm ci)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    env = {**os.environ, "VITRINE_BASE_URL": live_api, "VITRINE_API_KEY": KEY,
           "COMPARISON_ID": view["id"], "PICK_MODEL": "canny", "CHROMIUM": str(CHROMIUM),
           "COMPARISON_SCREENSHOT": os.environ.get("VITRINE_COMPARISON_SCREENSHOT",
                                                   str(tmp_path / "comparison.png"))}
    run = subprocess.run(
        ["node", "--test", "--test-reporter=spec", "tests/comparison/comparison_api.test.mjs"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    # The server has the rating: the picked model wins every pick so far.
    summary = {s["model"]: s for s in api.get(location).json()["result"]["summary"]}
    assert summary["canny"]["human_win_rate"] == 1.0 and summary["sdxl"]["human_win_rate"] == 0.0
