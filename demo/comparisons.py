"""The demo's comparison: three prompts through three models (SDXL base, + the product
LoRA trained for the generations, + a canny ControlNet on the sample photo), scored by the
run (CLIP score, seconds, cost from the price table), then one rating; the report is
written beside the gallery as a file-mode page (``comparison/report.html``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from demo.client import DemoError

if TYPE_CHECKING:
    from pathlib import Path

    from demo.client import VitrineClient

PROMPTS = (
    "a long summer skirt on a model, street photo",
    "a linen summer dress on a model, studio light",
    "a denim jacket on a mannequin, shop window",
)
RATER = "demo"


def comparison_flow(client: VitrineClient, photo: bytes, out: Path,
                    product_id: str) -> dict[str, Any]:
    print("• comparison (POST /v1/comparisons → job): 3 prompts × SDXL base, + product LoRA, "
          "+ ControlNet canny; scored, then rated")
    reference = client.upload(photo, "image/jpeg")
    body = {
        "prompts": [{"prompt": p, "reference_image": reference} for p in PROMPTS],
        "models": [
            {"name": "sdxl", "type": "sdxl"},
            {"name": "sdxl-product", "type": "sdxl",
             "adapters": [{"model_id": product_id, "weight": 0.9}]},
            {"name": "controlnet", "type": "sdxl", "control": {"type": "canny", "strength": 0.8}},
        ],
        "seed": 11,
        "steps": 4,
    }
    resp = client.request("POST", "/v1/comparisons", expect=202, json=body)
    job = client.wait_job(resp.headers["location"], timeout_s=1800)
    if job["status"] != "succeeded":
        raise DemoError(f"comparison ended {job['status']}: {job.get('error')}")
    # One person's judgement: the best image of the first prompt (the top CLIP score there).
    first = [c for c in job["result"]["cells"] if c["prompt"] == 0 and c["status"] == "succeeded"]
    if not first:
        raise DemoError("the comparison has no image for its first prompt")
    best = max(first, key=lambda c: c["clip_score"] or 0.0)["model"]
    rated = client.request("POST", f"/v1/comparisons/{job['id']}/ratings", expect=200,
                           json={"rater": RATER, "picks": [{"prompt": 0, "model": best}]}).json()
    page = _file_report(client, rated["result"], out / "comparison")
    return {"job_id": job["id"], "request": body, "result": rated["result"], "picked": best,
            "page": page.relative_to(out).as_posix()}


def _file_report(client: VitrineClient, result: dict[str, Any], folder: Path) -> Path:
    """The API's report with its images downloaded beside it (relative paths, as the run
    names them), written by the run's report writer: a page that opens from disk."""
    from sagemaker_containers.comparison.report_writer import write

    (folder / "images").mkdir(parents=True, exist_ok=True)
    (folder / "inputs").mkdir(exist_ok=True)
    report = {**result, "cells": [], "prompts": []}
    for cell in result["cells"]:
        if cell.get("image"):
            name = f"images/p{cell['prompt']}-{cell['model']}.png"
            (folder / name).write_bytes(client.fetch(cell["image"]))
            cell = {**cell, "image": name}
        report["cells"].append(cell)
    for prompt in result["prompts"]:
        if prompt.get("reference_image"):
            name = f"inputs/ref-{prompt['index']}.png"
            (folder / name).write_bytes(client.fetch(prompt["reference_image"]))
            prompt = {**prompt, "reference_image": name}
        report["prompts"].append(prompt)
    report.pop("contact_sheet", None)  # the writer draws its own
    return write(folder, report)


def comparison_section(run: dict[str, Any]) -> str:
    """The gallery's part: the grid's figures per model, the rating, links to the page."""
    from html import escape

    result = run["result"]
    rows = "".join(
        f"<tr><td>{escape(s['model'])}</td><td>{s['images']}</td>"
        f"<td>{_num(s['clip_score'].get('mean'))}</td><td>{_pct(s.get('clip_win_rate'))}</td>"
        f"<td>{_pct(s.get('human_win_rate'))}</td><td>{_num(s['model_seconds'].get('mean'))}</td>"
        f"<td>{_num(s['cost_usd'].get('per_image'), 6)}</td></tr>"
        for s in result["summary"])
    figs = "".join(
        f'<figure><img src="comparison/{escape(c["image"])}" alt=""><figcaption>'
        f"#{c['prompt']} {escape(c['model'])} — CLIP {_num(c.get('clip_score'))}</figcaption>"
        "</figure>"
        for c in _cells_on_disk(result))
    return f"""<section><h2>Comparison — one prompt set, three models, scored</h2>
<p>{len(result["prompts"])} prompts × {len(result["models"])} models (job
<code>{escape(run["job_id"])}</code>); rated by “{RATER}”: best of prompt 0 =
<code>{escape(run["picked"])}</code>. CLIP score measures prompt alignment, not product
fidelity.</p>
<p><a href="{escape(run["page"])}">Open the report page</a> (pick the best image per prompt;
picks stay in your browser and download as ratings.json). With <code>make serve</code>, the
API serves the same page for any comparison at
<code>/playground/comparison/?id=…</code> and saves picks through
<code>POST /v1/comparisons/{{id}}/ratings</code>.</p>
<table><tr><th>model</th><th>images</th><th>CLIP mean</th><th>CLIP win</th>
<th>human win</th><th>model s</th><th>$ / image</th></tr>{rows}</table>
<div class="grid">{figs}</div></section>"""


def _cells_on_disk(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**c, "image": f"images/p{c['prompt']}-{c['model']}.png"}
            for c in result["cells"] if c.get("image")]


def _num(value: Any, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _pct(value: Any) -> str:
    return "—" if value is None else f"{value:.0%}"
