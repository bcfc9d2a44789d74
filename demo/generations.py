"""The demo's generations: SDXL text-to-image with no tenant model, and a ControlNet
restyle of the sample photo (its canny edges computed in the container).

The tenant-model cells (a product LoRA, a concept token, both at once) join these once
the product and concept trainings are on this branch: ``TENANT_MODEL_CELLS`` is the hook
(each entry: a tag, a training flow returning model ids, and the request's ``adapters``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from demo.client import DemoError, b64

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from demo.client import VitrineClient

# (tag, title, body maker given the client) for cells that need tenant models first.
TENANT_MODEL_CELLS: list[tuple[str, str, Callable[[VitrineClient], dict[str, Any]]]] = []


def generate(client: VitrineClient, body: dict[str, Any], img: Path, tag: str) -> dict[str, Any]:
    resp = client.request("POST", "/v1/generations", expect=202, json=body)
    job = client.wait_job(resp.headers["location"])
    if job["status"] != "succeeded":
        raise DemoError(f"generation {tag} ended {job['status']}: {job.get('error')}")
    result = job["result"]
    for i, image in enumerate(result["images"]):
        image["file"] = _save(img / f"generation-{tag}-{i}.png", client.fetch(image["url"]))
    if result.get("control_image"):
        result["control_image"]["file"] = _save(img / f"generation-{tag}-control.png",
                                                client.fetch(result["control_image"]["url"]))
    shown = {k: v for k, v in body.items() if k not in ("image", "control")}
    if "control" in body:
        shown["control"] = {k: v for k, v in body["control"].items() if k != "image"}
    return {"request": shown, "job_id": job["id"], "result": result}


def generation_flow(client: VitrineClient, photo: bytes, img: Path) -> dict[str, Any]:
    print("• generation, no tenant model (POST /v1/generations → job): SDXL, portrait")
    runs = {"plain": generate(client, {
        "prompt": "a linen summer dress on a model, studio light", "size": "portrait",
        "n": 2, "seed": 3, "steps": 4}, img, "plain")}
    print("• generation restyling the photo through a canny ControlNet")
    runs["control"] = generate(client, {
        "prompt": "the same dress in red velvet", "seed": 4, "steps": 4,
        "control": {"image": b64(photo), "type": "canny", "strength": 0.8}}, img, "control")
    for tag, _title, body in TENANT_MODEL_CELLS:
        runs[tag] = generate(client, body(client), img, tag)
    return runs


def _save(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return f"img/{path.name}"
