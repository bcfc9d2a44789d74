"""Segmentation: one image, several text prompts, one CLIPSeg call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.domain.errors import ModelInvocationFailed
from api.domain.jobs import new_id
from api.schemas.segmentations import MaskPublic, SegmentationPublic
from api.services.images import load_image
from api.services.outputs import deliver, expect, model_image
from api.services.prompts import clean_prompt

if TYPE_CHECKING:
    from api.bootstrap import Container
    from api.schemas.segmentations import SegmentationCreate


def segment(container: Container, tenant: str, req: SegmentationCreate) -> SegmentationPublic:
    prompts = [clean_prompt(container, p, field=f"prompts[{i}]") for i, p in enumerate(req.prompts)]
    image = load_image(container, tenant, req.image)
    payload: dict[str, object] = {"image": image.b64(), "prompts": prompts}
    if req.threshold is not None:
        payload["threshold"] = req.threshold
    out = container.runtime.invoke("clipseg", payload)
    masks = expect(out, "masks", list, model="clipseg")
    if len(masks) != len(prompts):
        raise ModelInvocationFailed(
            f"clipseg returned {len(masks)} masks for {len(prompts)} prompts"
        )
    seg_id = new_id("seg")
    public = []
    for i, (prompt, mask) in enumerate(zip(prompts, masks, strict=True)):
        data = model_image(mask.get("mask") if isinstance(mask, dict) else None, what="mask")
        coverage = min(
            max(float(expect(mask, "coverage", (int, float), model="clipseg")), 0.0), 1.0
        )
        out_image = deliver(
            container, f"{tenant}/segmentations/{seg_id}/mask-{i}.png", data, req.response_format
        )
        public.append(MaskPublic(prompt=prompt, coverage=coverage, **out_image.model_dump()))
    return SegmentationPublic(
        id=seg_id,
        width=int(expect(out, "width", int, model="clipseg")),
        height=int(expect(out, "height", int, model="clipseg")),
        masks=public,
    )
