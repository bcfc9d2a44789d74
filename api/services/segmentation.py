"""Segmentation: one image, several text prompts, one CLIPSeg call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.domain.errors import ModelInvocationFailed
from api.domain.jobs import new_id
from api.services.model_inputs import for_model, mask_at
from api.services.outputs import expect, model_image

if TYPE_CHECKING:
    from api.domain.commands import SegmentationCommand
    from api.domain.results import Segmentation
    from api.ports import ModelRuntime
    from api.services.images import ImageLoader
    from api.services.outputs import ResultImages
    from api.services.prompts import PromptGate


class Segment:
    """``POST /v1/segmentations``: masks for each prompt, as URLs or base64."""

    def __init__(
        self,
        *,
        runtime: ModelRuntime,
        images: ImageLoader,
        prompts: PromptGate,
        outputs: ResultImages,
    ) -> None:
        self._runtime = runtime
        self._images = images
        self._prompts = prompts
        self._outputs = outputs

    def __call__(self, tenant: str, req: SegmentationCommand) -> Segmentation:
        from api.domain.results import Mask, Segmentation

        prompts = [
            self._prompts.clean(p, field=f"prompts[{i}]") for i, p in enumerate(req.prompts)
        ]
        image = self._images.load(tenant, req.image)
        # Downscaled to the model's working size: InvokeEndpoint bodies stop at 6 MB.
        sent = for_model(image.data)
        payload: dict[str, object] = {"image": sent.b64(), "prompts": prompts}
        if req.threshold is not None:
            payload["threshold"] = req.threshold
        out = self._runtime.invoke("clipseg", payload)
        masks = expect(out, "masks", list, model="clipseg")
        if len(masks) != len(prompts):
            raise ModelInvocationFailed(
                f"clipseg returned {len(masks)} masks for {len(prompts)} prompts"
            )
        seg_id = new_id("seg")
        found = []
        for i, (prompt, mask) in enumerate(zip(prompts, masks, strict=True)):
            data = model_image(mask.get("mask") if isinstance(mask, dict) else None, what="mask")
            data = mask_at(data, (image.width, image.height))
            coverage = min(
                max(float(expect(mask, "coverage", (int, float), model="clipseg")), 0.0), 1.0
            )
            key = f"{tenant}/segmentations/{seg_id}/mask-{i}.png"
            delivered = self._outputs.deliver(key, data, req.response_format)
            found.append(Mask(prompt=prompt, coverage=coverage, image=delivered))
        return Segmentation(
            id=seg_id,
            # The client's image size (the model saw it downscaled; masks are scaled back).
            width=image.width,
            height=image.height,
            masks=found,
        )
