"""``make demo``'s driver end to end: a real uvicorn server, real HTTP, tiny models."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_demo_drives_every_capability_and_writes_a_self_contained_gallery(
    tiny_models_dir: Path, tmp_path: Path
) -> None:
    # Given the tiny models (as `make demo` builds them when no weights are configured)
    out = tmp_path / "demo-output"
    env = {k: v for k, v in os.environ.items() if not k.startswith("VITRINE_")}
    env["VITRINE_MODELS_DIR"] = str(tiny_models_dir)

    # When the demo runs as `make demo` runs it
    proc = subprocess.run(
        [sys.executable, "-m", "demo", "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )

    # Then it succeeds, and every capability produced what the gallery shows
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    results = json.loads((out / "results.json").read_text())
    assert [c["ok"] for c in results["checks"]] == [True] * 5
    assert len(results["segmentation"]["masks"]) == 3
    assert len(results["try_on_auto"]["result"]["images"]) == 2
    assert len(results["try_on_mask"]["result"]["images"]) == 1
    # The garment-photo try-on: full size (the sample photo's), WebP, with its variants.
    garment = results["try_on_garment"]["result"]
    assert (garment["format"], garment["width"], garment["height"]) == ("webp", 512, 512)
    assert set(garment["images"][0]["variants"]) == {"thumbnail", "card"}
    assert garment["images"][0]["variants"]["thumbnail"]["width"] == 256
    assert results["attributes"]["attributes"]
    assert results["description"]["title"] and results["describe"]["description"]["title"]
    # Taxonomy answers are allowed values with confidences; describe routes by them
    tax = results["taxonomy"]
    answers = tax["describe"]["attributes"]["answers"]
    assert len(answers) == 5
    assert all(sum(a["scores"].values()) == pytest.approx(1.0) for a in answers.values())
    assert tax["describe"]["written_from"] and tax["describe"]["held_for_review"]
    assert results["avatar"]["avatar"]["status"] == "ready"
    assert len(results["avatar"]["images"]) == 2
    # A style model trained on captioned skirts, and a try-on in its style
    style = results["style"]
    assert style["model"]["status"] == "ready" and style["model"]["kind"] == "style"
    assert len(style["try_on"]["result"]["images"]) == 1
    # Generations: SDXL with no tenant model (portrait), a canny ControlNet restyle.
    plain, control = (results["generations"][tag]["result"] for tag in ("plain", "control"))
    assert len(plain["images"]) == 2 and plain["width"] < plain["height"]
    assert control["control_image"]["file"].endswith("-control.png")
    # ...and with the tenant's product LoRA and concept, trained in the demo
    product, concept = (results["generations"][tag] for tag in ("product", "concept"))
    assert [a["model_id"] for a in product["request"]["adapters"]] == product["result"][
        "adapters"]
    assert product["result"]["adapters"][0].startswith("prd_") and product["result"]["images"]
    assert concept["result"]["adapters"][0].startswith("cpt_") and concept["result"]["images"]
    assert "<tiered-skirt>" in concept["request"]["prompt"]

    # The comparison: 3 prompts × SDXL, + the product LoRA, + canny ControlNet; one rating
    compared = results["comparison"]["result"]
    assert [m["name"] for m in compared["models"]] == ["sdxl", "sdxl-product", "controlnet"]
    assert len(compared["prompts"]) == 3 and len(compared["cells"]) == 9
    assert all(c["status"] == "succeeded" for c in compared["cells"]), compared["cells"]
    assert compared["ratings"] == {"raters": 1}
    rates = {s["model"]: s["human_win_rate"] for s in compared["summary"]}
    assert rates[results["comparison"]["picked"]] == 1.0
    page = out / results["comparison"]["page"]
    assert page.name == "report.html" and "report-data" in page.read_text()

    html = (out / "index.html").read_text()
    assert "tiny offline models — random weights" in html
    assert '<a href="http://127.0.0.1:8000/playground/">playground</a>' in html
    for section in ("Segmentation", "Virtual try-on", "From a garment photo", "Avatar",
                    "Generations — SDXL, with ControlNet", "control image (canny)",
                    "<h3>product</h3>", "a &lt;tiered-skirt&gt; in a shop window",
                    "Attributes — BLIP-2", "Attributes — your taxonomy", "needs review",
                    "Description", "one call", "Style try-on",
                    "Comparison — one prompt set, three models", 'href="comparison/report.html"'):
        assert section in html
    # self-contained: no scripts, every image a local file the demo wrote
    assert "<script" not in html
    sources = re.findall(r'src="([^"]+)"', html)
    assert len(sources) >= 20
    for src in sources:
        assert not src.startswith(("http:", "https:", "//")), src
        assert (out / src).stat().st_size > 0, src
    assert "Vitrine demo — tiny offline models" in proc.stdout
