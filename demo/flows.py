"""The demo's calls, one function per capability. Each returns what the gallery shows."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from PIL import Image

from demo.avatars import avatar_flow
from demo.client import Call, DemoError, VitrineClient, b64
from demo.comparisons import comparison_flow
from demo.generations import generation_flow
from demo.sample import garment_photo
from demo.styles import style_flow
from demo.taxonomy import taxonomy_flow

if TYPE_CHECKING:
    from pathlib import Path

GARMENT = "a red silk evening dress"


def _save(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return f"img/{path.name}"


def segmentation(client: VitrineClient, upload_id: str, img: Path) -> dict[str, Any]:
    body = {"image": {"upload_id": upload_id}, "prompts": ["the dress", "the hair", "the floor"]}
    resp = client.request("POST", "/v1/segmentations", expect=200, json=body).json()
    for i, mask in enumerate(resp["masks"]):
        mask["file"] = _save(img / f"mask-{i}.png", client.fetch(mask["url"]))
    return resp


def try_on(client: VitrineClient, body: dict[str, Any], img: Path, tag: str) -> dict[str, Any]:
    resp = client.request("POST", "/v1/try-ons", expect=202, json=body)
    job = client.wait_job(resp.headers["location"])
    if job["status"] != "succeeded":
        raise DemoError(f"try-on {tag} ended {job['status']}: {job.get('error')}")
    result = job["result"]
    ext = {"jpeg": "jpg"}.get(result.get("format", "png"), result.get("format", "png"))
    for i, image in enumerate(result["images"]):
        image["file"] = _save(img / f"tryon-{tag}-{i}.{ext}", client.fetch(image["url"]))
        for name, variant in image.get("variants", {}).items():
            variant["file"] = _save(img / f"tryon-{tag}-{i}-{name}.{ext}",
                                    client.fetch(variant["url"]))
    if result.get("mask"):
        result["mask"]["file"] = _save(img / f"tryon-{tag}-mask.png",
                                       client.fetch(result["mask"]["url"]))
    return {"request": {k: v for k, v in body.items()
                        if k not in ("image", "mask", "garment_image")},
            "job_id": job["id"], "result": result}


def painted_mask(photo: bytes) -> bytes:
    """A hand-made mask (the dress region of the sample photo), as a client might send."""
    from PIL import ImageDraw

    with Image.open(io.BytesIO(photo)) as im:
        w, h = im.size
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).rectangle([int(0.33 * w), int(0.27 * h), int(0.67 * w), int(0.79 * h)],
                                   fill=255)
    buf = io.BytesIO()
    mask.save(buf, format="PNG")
    return buf.getvalue()


def security_checks(client: VitrineClient, job_id: str, other_key: str) -> list[dict[str, Any]]:
    """The promises a partner relies on, checked over HTTP."""
    checks = []

    def record(name: str, resp_status: int, expected: int, problem: str = "",
               *, also: bool = True) -> None:
        checks.append({"check": name, "status": resp_status, "expected": expected,
                       "type": problem, "ok": resp_status == expected and also})

    r = client.request("GET", f"/v1/jobs/{job_id}", key=None)
    record("no API key → 401", r.status_code, 401, r.json().get("type", ""))
    r = client.request("GET", f"/v1/jobs/{job_id}", key=other_key)
    record("another tenant's job → 404", r.status_code, 404, r.json().get("type", ""))
    body = {"product_type": "dress", "attributes": {"color": "blue"}}
    headers = {"Idempotency-Key": "demo-idem-1"}
    first = client.request("POST", "/v1/descriptions", json=body, headers=headers)
    again = client.request("POST", "/v1/descriptions", json=body, headers=headers)
    # A replay is the stored answer, marked: same status, the header, the same bytes.
    replayed = again.headers.get("idempotent-replayed", "")
    record("same Idempotency-Key + same body → replayed", again.status_code, first.status_code,
           replayed, also=replayed == "true" and again.content == first.content
           and "idempotent-replayed" not in first.headers)
    other = client.request("POST", "/v1/descriptions", headers=headers,
                           json={**body, "attributes": {"color": "green"}})
    record("same Idempotency-Key + other body → 422", other.status_code, 422,
           other.json().get("type", ""))
    r = client.request("POST", "/v1/segmentations",
                       json={"image": {"base64": "not base64!"}, "prompts": ["x"]})
    record("invalid base64 → 422 problem+json", r.status_code, 422, r.json().get("type", ""))
    if not all(c["ok"] for c in checks):
        raise DemoError(f"security checks failed: {checks}")
    return checks


def run_all(client: VitrineClient, photo: bytes, img: Path, *, other_key: str) -> dict[str, Any]:
    results: dict[str, Any] = {"input": _save(img / "input.jpg", photo)}
    print("• upload the photo (POST /v1/uploads + signed PUT)")
    upload_id = client.upload(photo, "image/jpeg")
    results["upload_id"] = upload_id

    print("• segmentation (POST /v1/segmentations): 3 prompts, one forward pass")
    results["segmentation"] = segmentation(client, upload_id, img)

    print("• try-on with automatic mask (POST /v1/try-ons → job)")
    auto = {"image": {"upload_id": upload_id}, "garment_prompt": GARMENT,
            "mask_prompt": "the dress", "n": 2, "seed": 7, "steps": 4, "guidance_scale": 7.5}
    results["try_on_auto"] = try_on(client, auto, img, "auto")

    print("• try-on with a supplied mask, photo inline as base64")
    mask = painted_mask(photo)
    results["supplied_mask"] = _save(img / "supplied-mask.png", mask)
    given = {"image": b64(photo), "mask": b64(mask), "garment_prompt": "a green linen shirt dress",
             "n": 1, "seed": 11, "steps": 4, "guidance_scale": 7.5}
    results["try_on_mask"] = try_on(client, given, img, "mask")
    results["style"] = style_flow(client, img, given, try_on)

    print("• try-on with a garment photo (SDXL inpainting + IP-Adapter), WebP + size variants")
    garment = garment_photo()
    results["garment_photo"] = _save(img / "garment.jpg", garment)
    with_photo = {"image": {"upload_id": upload_id}, "mask": b64(mask),
                  "garment_image": {"upload_id": client.upload(garment, "image/jpeg")},
                  "garment_prompt": "a red short-sleeved shirt", "garment_strength": 0.7,
                  "format": "webp", "quality": 85, "variants": ["thumbnail", "card"],
                  "n": 1, "seed": 5, "steps": 4}
    results["try_on_garment"] = try_on(client, with_photo, img, "garment")

    print("• attributes (POST /v1/attributes): all questions in one batched generate")
    results["attributes"] = client.request(
        "POST", "/v1/attributes", expect=200,
        json={"image": {"upload_id": upload_id}, "product_type": "dress"}).json()

    print("• description (POST /v1/descriptions)")
    attrs = {"fabric": "silk", "fit": "a-line", "sleeve_length": "sleeveless",
             "pattern": "solid", "color": "navy blue", "neckline": "boat neck"}
    results["description"] = client.request(
        "POST", "/v1/descriptions", expect=200,
        json={"product_type": "dress", "attributes": attrs, "tone": "elegant",
              "length": "medium"}).json()

    print("• image → attributes → description in one call (POST /v1/products/describe)")
    results["describe"] = client.request(
        "POST", "/v1/products/describe", expect=200,
        json={"image": {"upload_id": upload_id}, "product_type": "dress"}).json()

    results["taxonomy"] = taxonomy_flow(client, upload_id)

    results["avatar"] = avatar_flow(client, img)

    results["generations"] = generation_flow(client, photo, img)
    product = results["generations"]["product"]["request"]["adapters"][0]["model_id"]
    results["comparison"] = comparison_flow(client, photo, img.parent, product)

    print("• auth, tenancy, idempotency and bad-input checks")
    results["checks"] = security_checks(client, results["try_on_auto"]["job_id"], other_key)
    return results


def print_summary(results: dict[str, Any], calls: list[Call], *, tiny: bool, seconds: float,
                  index: Path) -> None:
    label = "tiny offline models — random weights" if tiny else "real weights"
    seg = results["segmentation"]["masks"]
    print()
    print(f"Vitrine demo — {label}")
    print(f"  segmentation   {len(seg)} masks: " +
          ", ".join(f"{m['prompt']} {m['coverage']:.0%}" for m in seg))
    for tag in ("try_on_auto", "try_on_mask", "try_on_garment"):
        r = results[tag]
        print(f"  {tag:<14} job {r['job_id']}: {len(r['result']['images'])} image(s)")
    attrs = results["attributes"]["attributes"]
    print(f"  attributes     {len(attrs)} in one call: " +
          ", ".join(f"{k}={str(v)[:16]}" for k, v in list(attrs.items())[:3]) + ", …")
    tax = results["taxonomy"]
    answers = tax["describe"]["attributes"]["answers"]
    print(f"  taxonomy       {len(answers)} attributes from allowed values: " + ", ".join(
        f"{k}={a['value']} ({a['confidence']:.2f}{', review' if a['needs_review'] else ''})"
        for k, a in list(answers.items())[:3]) + ", …")
    print(f"  review routing copy from {tax['describe']['written_from']}, held for review "
          f"{tax['describe']['held_for_review']} (threshold {tax['threshold']})")
    print(f"  description    {results['description']['title']!r} "
          f"({results['description']['model']})")
    avatar = results["avatar"]["avatar"]
    print(f"  avatar         {avatar['id']}: {avatar['training']['steps']} steps, adapter "
          f"{(avatar['training']['adapter_bytes'] or 0) / 1024:.0f} KiB, "
          f"{len(results['avatar']['images'])} generated image(s)")
    style = results["style"]["model"]
    print(f"  style model    {style['id']} ({style['status']}, "
          f"{style['training']['steps']} steps) → a try-on in its style")
    compared = results["comparison"]["result"]
    print(f"  comparison     {results['comparison']['job_id']}: {len(compared['prompts'])} "
          f"prompts × {len(compared['models'])} models, best of prompt 0 rated "
          f"{results['comparison']['picked']} → {results['comparison']['page']}")
    print(f"  checks         {sum(c['ok'] for c in results['checks'])}/"
          f"{len(results['checks'])} passed")
    print(f"  HTTP calls     {len(calls)}; wall time {seconds:.1f} s")
    print(f"  gallery        {index}")
