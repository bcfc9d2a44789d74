"""The columns Vitrine's own models fill, through the very cores its endpoints serve.

- ``SdxlRunner``: ``generation/core.py`` on the SDXL base (+ turbo), with the column's
  tenant adapters and ControlNet (on the row's ``reference_image``; a row without one is
  skipped). Every SDXL column shares one warm base: adapters switch per call.
- ``TryOnRunner``: ``inpainting/core.py`` on the row's ``person_image`` (a row without one
  is skipped), the garment described by the prompt, the region to repaint from the row's
  ``mask_image`` or else found by CLIPSeg (``clipseg/core.py``) with the column's
  ``mask_prompt``; a tenant ``style`` applies as on the try-on endpoint.

The spec's seed, steps and guidance go to every model that takes them (turbo keeps its
own few steps without guidance, as its endpoint does).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from sagemaker_containers.comparison.runners import Generated, Skipped, Unavailable
from sagemaker_containers.comparison.spec import resolve

if TYPE_CHECKING:
    from pathlib import Path

    from PIL import Image

    from sagemaker_containers.comparison.runners import Context
    from sagemaker_containers.comparison.spec import PromptItem, SdxlModel, TryOnModel

MODEL_INDEX = "model_index.json"
DEFAULT_MASK_PROMPT = "clothes"


def open_image(path: Path, what: str, mode: str = "RGB") -> Image.Image:
    """The row's photo in ``mode``; a cell's error names the file, not where it lives."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return image.convert(mode)
    except FileNotFoundError as error:
        raise ValueError(f"the {what} {path.name} is missing") from error
    except (OSError, UnidentifiedImageError) as error:
        raise ValueError(f"the {what} {path.name} is not a readable image") from error


def _pipeline_dir(folder: Path | None, what: str) -> Path:
    if folder is None or not (folder / MODEL_INDEX).is_file():
        raise Unavailable(f"no {what} model here (expected a diffusers folder at {folder})")
    return folder


class SdxlRunner:
    def __init__(self, model: SdxlModel, context: Context) -> None:
        from sagemaker_containers.common.adapters import AdapterFiles, AdapterNotFound
        from sagemaker_containers.generation import adapters, core

        self.model, self.context = model, context
        base_dir = _pipeline_dir(context.base_dir, "SDXL")
        files = AdapterFiles(context.adapters_dir)
        for adapter in model.adapters:
            try:  # checked once for the column, before any image
                files.find(adapter.key, (adapters.FILES[adapter.type],))
            except AdapterNotFound as error:
                raise Unavailable(str(error)) from error
        self.core = core
        self.loaded = context.load_once(
            "sdxl", lambda: core.load(base_dir, adapters_root=context.adapters_dir))
        if model.variant == "turbo" and self.loaded.turbo is None:
            raise Unavailable("no SDXL-Turbo model here (turbo/ beside the base)")
        if model.control is not None and model.control.type not in self.loaded.base.controlnets:
            raise Unavailable(f"no '{model.control.type}' ControlNet here")
        self.requests = tuple(
            adapters.AdapterRequest(key=a.key, type=a.type, weight=a.weight, token=a.token)
            for a in model.adapters)

    def generate(self, item: PromptItem) -> Generated:
        spec, core = self.context.spec, self.core
        control = None
        if self.model.control is not None:
            reference = resolve(self.context.spec_dir, item.reference_image)
            if reference is None:
                raise Skipped("ControlNet needs a reference_image; this prompt has none")
            control = core.Control(image=open_image(reference, "reference image"),
                                   type=self.model.control.type,
                                   strength=self.model.control.strength)
        turbo = self.model.variant == "turbo"
        request = core.Request(
            prompt=item.prompt, negative_prompt=item.negative_prompt, seed=spec.seed,
            steps=None if turbo else spec.steps, guidance_scale=None if turbo else spec.guidance,
            width=spec.width, height=spec.height, size=spec.size, variant=self.model.variant,
            adapters=self.requests, control=control)
        started = time.perf_counter()
        result = core.predict(self.loaded, request)
        return Generated(result.images[0], time.perf_counter() - started, result.seed)


class TryOnRunner:
    def __init__(self, model: TryOnModel, context: Context) -> None:
        from sagemaker_containers.inpainting import core

        self.model, self.context, self.core = model, context, core
        folder = _pipeline_dir(context.inpainting_dir, "try-on inpainting")
        self.style = None
        if model.style is not None:
            from sagemaker_containers.common.adapters import AdapterFiles, AdapterNotFound
            from sagemaker_containers.inpainting.styles import LORA_WEIGHTS, Style

            try:
                AdapterFiles(context.adapters_dir).find(model.style.key, (LORA_WEIGHTS,))
            except AdapterNotFound as error:
                raise Unavailable(str(error)) from error
            self.style = Style(key=model.style.key, weight=model.style.weight)
        self.loaded = context.load_once("try_on", lambda: self._load(folder))

    def _load(self, folder: Path) -> Any:
        from dataclasses import replace

        from sagemaker_containers.common.adapters import AdapterFiles
        from sagemaker_containers.inpainting.styles import StyleAdapters

        # Style adapters resolve under the comparison's adapters folder, never the env's.
        files = AdapterFiles(self.context.adapters_dir)
        return replace(self.core.load(folder), styles=StyleAdapters(files))

    def _mask(self, item: PromptItem, person: Image.Image) -> Image.Image:
        given = resolve(self.context.spec_dir, item.mask_image)
        if given is not None:
            return open_image(given, "mask image", "L").resize(person.size)
        folder = self.context.clipseg_dir
        if folder is None or not (folder / "config.json").is_file():
            raise Unavailable("no mask_image and no segmentation model (clipseg) to find "
                              "the clothes")
        from sagemaker_containers.clipseg import core as clipseg

        segmenter = self.context.load_once("clipseg", lambda: clipseg.load(folder))
        prompt = self.model.mask_prompt or DEFAULT_MASK_PROMPT
        return clipseg.predict(segmenter, clipseg.Request(image=person, prompts=[prompt])
                               ).masks[0].mask

    def generate(self, item: PromptItem) -> Generated:
        spec = self.context.spec
        person_path = resolve(self.context.spec_dir, item.person_image)
        if person_path is None:
            raise Skipped("a try-on needs a person_image; this prompt has none")
        person = open_image(person_path, "person image")
        mask = self._mask(item, person)
        prompt = item.prompt
        token = self.model.style.token if self.model.style is not None else None
        if token and token not in prompt:
            prompt = f"{token}, {prompt}"  # a style LoRA learned its token with the captions
        request = self.core.Request(
            image=person, mask=mask, prompt=prompt, negative_prompt=item.negative_prompt,
            seed=spec.seed, steps=spec.steps, guidance_scale=spec.guidance, style=self.style,
            width=spec.width, height=spec.height)
        started = time.perf_counter()
        result = self.core.predict(self.loaded, request)
        return Generated(result.images[0], time.perf_counter() - started, result.seed)
