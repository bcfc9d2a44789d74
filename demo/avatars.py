"""The avatar flow for the demo: 10 photos of one subject → a trained avatar → 2 images."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageDraw

from demo.client import DemoError, VitrineClient, b64

if TYPE_CHECKING:
    from pathlib import Path

PHOTO_COUNT = 10
PROMPT = "sks person in a red silk evening dress, studio portrait"


def subject_photos(count: int = PHOTO_COUNT, size: int = 320) -> list[bytes]:
    """Photos of one synthetic 'person': the same face and hair, varied pose, shirt, light.

    What a storefront would upload of a model, drawn here so the demo needs no data set.
    """
    photos = []
    for i in range(count):
        light = 200 + (i * 7) % 50
        img = Image.new("RGB", (size, size), (light, light - 10, light - 25))
        draw = ImageDraw.Draw(img)
        dx, tilt = (i % 5 - 2) * size // 20, (i % 3 - 1) * size // 40
        cx, top = size // 2 + dx, size // 6 + tilt
        head = size // 7
        draw.rectangle(  # shoulders and shirt, its colour changing per photo
            (cx - 2 * head, top + 2 * head, cx + 2 * head, size),
            fill=((60 + 40 * i) % 256, 80, (200 - 25 * i) % 256),
        )
        draw.ellipse((cx - head, top - head // 3, cx + head, top + 2 * head), fill=(70, 45, 30))
        draw.ellipse((cx - head + 6, top, cx + head - 6, top + 2 * head), fill=(226, 180, 150))
        for eye in (-1, 1):  # eyes and mouth: the same face in every photo
            ex, ey = cx + eye * head // 3, top + head // 2
            draw.ellipse((ex - 4, ey + 2, ex + 4, ey + 10), fill=(40, 30, 30))
        draw.arc((cx - head // 3, top + head, cx + head // 3, top + head + head // 2), 20, 160,
                 fill=(150, 60, 60), width=3)
        out = io.BytesIO()
        img.save(out, format="JPEG", quality=92)
        photos.append(out.getvalue())
    return photos


def avatar_flow(client: VitrineClient, img_dir: Path) -> dict[str, Any]:
    """Create an avatar from 10 photos, wait for training, generate 2 images, fetch them.

    Returns ``{"avatar", "generation", "photos", "images"}`` (paths relative to the
    gallery, like ``demo.flows``); raises ``DemoError`` if a step does not succeed.
    """
    photos = subject_photos()
    photo_files = []
    for i, data in enumerate(photos):
        (img_dir / f"avatar-photo-{i:02d}.jpg").write_bytes(data)
        photo_files.append(f"img/avatar-photo-{i:02d}.jpg")

    print("• avatar (POST /v1/avatar-models → DreamBooth-LoRA training job)")
    body = {"name": "Demo model", "subject_class": "person",
            "photos": [b64(data) for data in photos]}
    created = client.request("POST", "/v1/avatar-models", expect=202, json=body)
    avatar_id = created.json()["id"]
    training = client.wait_job(created.json()["links"]["job"], timeout_s=1800)
    if training["status"] != "succeeded":
        raise DemoError(f"avatar training ended {training['status']}: {training.get('error')}")
    avatar = client.request("GET", created.headers["location"], expect=200).json()

    print("• avatar generation (POST /v1/avatar-models/{id}/generations → job)")
    request = {"prompt": PROMPT, "n": 2, "seed": 21, "steps": 20, "guidance_scale": 7.5}
    resp = client.request("POST", f"/v1/avatar-models/{avatar_id}/generations", expect=202,
                          json=request)
    job = client.wait_job(resp.headers["location"])
    if job["status"] != "succeeded":
        raise DemoError(f"avatar generation ended {job['status']}: {job.get('error')}")
    images = []
    for i, image in enumerate(job["result"]["images"]):
        path = img_dir / f"avatar-gen-{i}.png"
        path.write_bytes(client.fetch(image["url"]))
        image["file"] = f"img/{path.name}"
        images.append(image["file"])
    generation = {"request": request, "job_id": job["id"], "result": job["result"]}
    return {"avatar": avatar, "generation": generation, "photos": photo_files, "images": images}
