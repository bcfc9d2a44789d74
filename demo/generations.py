"""The demo's generations: SDXL text-to-image with no tenant model, a ControlNet restyle
of the sample photo (its canny edges computed in the container), and the tenant's own
models: a product LoRA and a concept token, both trained here through ``/v1/models`` on
the drawn skirts (a few steps on the tiny base; real training uses the defaults).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from demo.client import DemoError, b64
from demo.styles import CAPTIONS, skirt_images

if TYPE_CHECKING:
    from pathlib import Path

    from demo.client import VitrineClient

CONCEPT_TOKEN = "<tiered-skirt>"


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
    product, concept = tenant_models(client)
    print("• generation with the product LoRA (adapters: model_id + weight)")
    runs["product"] = generate(client, {
        "prompt": "a long summer skirt on a model, street photo", "seed": 5, "steps": 4,
        "adapters": [{"model_id": product, "weight": 0.9}]}, img, "product")
    print(f"• generation with the concept token {CONCEPT_TOKEN} in the prompt")
    runs["concept"] = generate(client, {
        "prompt": f"a {CONCEPT_TOKEN} in a shop window", "seed": 5, "steps": 4,
        "adapters": [{"model_id": concept}]}, img, "concept")
    return runs


def tenant_models(client: VitrineClient) -> tuple[str, str]:
    """A product LoRA and a concept (textual inversion) trained on the drawn skirts; both
    are asked for before either is awaited, so they train one after the other unattended."""
    print("• product LoRA and concept (POST /v1/models kind=product, kind=concept → SDXL)")
    images = [{"image": {"upload_id": client.upload(data, "image/jpeg")}, "caption": caption}
              for data, caption in zip(skirt_images(), CAPTIONS, strict=True)]
    created = [client.request("POST", "/v1/models", expect=202, json=body).json() for body in (
        {"kind": "product", "name": "summer skirts", "images": images},
        {"kind": "concept", "name": "tiered skirt", "token": CONCEPT_TOKEN,
         "initializer": "skirt", "images": images})]
    for model in created:
        job = client.wait_job(model["links"]["job"], timeout_s=1800)
        if job["status"] != "succeeded":
            raise DemoError(f"{model['kind']} training ended {job['status']}: {job.get('error')}")
    return created[0]["id"], created[1]["id"]


def _save(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return f"img/{path.name}"
