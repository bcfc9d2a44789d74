"""The style flow for the demo: captioned skirts → a style model → a try-on in that style,
beside the same try-on without it."""

from __future__ import annotations

import io
from html import escape
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageDraw

from demo.client import DemoError, VitrineClient

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

# Captions name design, pattern, colour and fabric, as the fashion-styling recipe asks.
CAPTIONS = (
    "a long tiered floral chiffon summer skirt, pastel blue",
    "a long pleated striped cotton summer skirt, white and navy",
    "a long flowing polka-dot viscose summer skirt, coral",
)


def skirt_images(size: int = 320) -> list[bytes]:
    """Drawn long skirts (a storefront would upload its catalog photos)."""
    out = []
    for n, colour in enumerate(((150, 190, 230), (240, 240, 250), (240, 130, 110))):
        img = Image.new("RGB", (size, size), (235, 232, 226))
        draw = ImageDraw.Draw(img)
        top, bottom, waist = size // 8, size - size // 10, size // 6
        draw.polygon([(size // 2 - waist, top), (size // 2 + waist, top),
                      (size - size // 6, bottom), (size // 6, bottom)], fill=colour)
        for i in range(8):  # the pattern: dots, stripes, flowers
            y = top + (i + 1) * (bottom - top) // 9
            draw.line([(size // 4, y), (size * 3 // 4, y)], fill=(40 + 60 * n, 60, 120), width=2)
        data = io.BytesIO()
        img.save(data, format="JPEG", quality=90)
        out.append(data.getvalue())
    return out


def style_flow(client: VitrineClient, img_dir: Path, plain: dict[str, Any],
               try_on: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """Train a style model on 3 captioned skirts, then repeat the try-on ``plain`` (its
    request body) with it."""
    print("• style model (POST /v1/models kind=style → DreamBooth-LoRA on the inpainting base)")
    images = []
    files = []
    for n, data in enumerate(skirt_images()):
        (img_dir / f"style-{n}.jpg").write_bytes(data)
        files.append(f"img/style-{n}.jpg")
        images.append({"image": {"upload_id": client.upload(data, "image/jpeg")},
                       "caption": CAPTIONS[n]})
    created = client.request("POST", "/v1/models", expect=202, json={
        "kind": "style", "name": "long summer skirts", "class_name": "skirt", "images": images})
    training = client.wait_job(created.json()["links"]["job"], timeout_s=1800)
    if training["status"] != "succeeded":
        raise DemoError(f"style training ended {training['status']}: {training.get('error')}")
    model = client.request("GET", created.headers["location"], expect=200).json()
    print("• try-on in that style (POST /v1/try-ons with style_model_id)")
    body = {**plain, "style_model_id": model["id"]}
    return {"model": model, "images": files, "captions": list(CAPTIONS),
            "try_on": try_on(client, body, img_dir, "style")}


def style_section(run: dict[str, Any], plain: dict[str, Any]) -> str:
    """The gallery cell: the training set, the model's figures, plain vs styled."""
    model, styled = run["model"], run["try_on"]
    training = model["training"]
    thumbs = "".join(f'<img class="thumb" src="{escape(src)}" alt="{escape(caption)}">'
                     for src, caption in zip(run["images"], run["captions"], strict=True))
    figs = [(plain["result"]["images"][0]["file"], "without a style"),
            (styled["result"]["images"][0]["file"], f"style {model['id']}")]
    grid = "".join(f'<figure><img src="{escape(src)}" alt="{escape(cap)}">'
                   f"<figcaption>{escape(cap)}</figcaption></figure>" for src, cap in figs)
    loss = training.get("final_loss")
    return f"""<section><h2>Style try-on — a tenant's style model on the inpainting model</h2>
<p>{thumbs}</p><p>Trained on {model["images"]} captioned images ({escape(model["base"] or "")},
{training["steps"]} steps at {training["resolution"]} px, LoRA rank {training["rank"]},
final loss {"n/a" if loss is None else f"{loss:.4f}"},
adapter {(training.get("adapter_bytes") or 0) / 1024:.1f} KiB); the same try-on (seed, mask,
prompt) without and with <code>style_model_id</code>:</p>
<div class="grid">{grid}</div></section>"""
