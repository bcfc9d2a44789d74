"""The benchmark's scenarios: build one model variant, return its timed cases.

Each scenario takes ``Options`` (device, fp16+SDPA or fp32+classic attention, compiled
or not, toy sizes or full) and returns ``[(case label, zero-argument run)]``. Models are
created directly on the device with random weights (``model_configs``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from benchmarks.model_configs import (
    BLIP2,
    CLIP_L,
    CLIPSEG,
    CLIPSEG_IMAGE,
    TINY_BLIP2,
    TINY_CLIP,
    TINY_CLIPSEG,
    sd2_parts,
    sdxl_inpainting_parts,
    sdxl_parts,
)

if TYPE_CHECKING:
    from pathlib import Path

Case = tuple[str, Callable[[], object]]
ATTRIBUTES = ("color", "pattern", "fabric", "neckline", "sleeve length", "fit", "style")
VALUES = ("one", "two", "three", "four", "five")  # a taxonomy's 5 values per attribute
PROMPT = "a photo of a person wearing a red dress, studio, high quality"


@dataclass(frozen=True, slots=True)
class Options:
    device: str
    half: bool  # fp16 + SDPA attention; else fp32 + classic attention
    compiled: bool
    tiny: bool
    quick: bool
    work: Path

    @property
    def dtype(self) -> Any:
        import torch

        return torch.float16 if self.half else torch.float32

    @property
    def attention(self) -> str:
        return "sdpa" if self.half else "eager"


def _sd_pipeline(cls: Any, options: Options, *, in_channels: int) -> Any:
    import torch
    from diffusers import DPMSolverMultistepScheduler
    from diffusers.models.attention_processor import AttnProcessor, AttnProcessor2_0

    from model_artifacts.tiny.tokenizers import clip_tokenizer

    with torch.device(options.device):
        unet, vae, text = sd2_parts(in_channels=in_channels, tiny=options.tiny)
    scheduler = DPMSolverMultistepScheduler(
        beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", steps_offset=1)
    pipeline = cls(vae=vae, text_encoder=text, unet=unet, scheduler=scheduler,
                   tokenizer=clip_tokenizer(options.work / "clip-tokenizer"),
                   safety_checker=None, feature_extractor=None, requires_safety_checker=False)
    pipeline.to(options.device, options.dtype)
    processor = AttnProcessor2_0() if options.half else AttnProcessor()
    pipeline.unet.set_attn_processor(processor)
    pipeline.vae.set_attn_processor(processor)
    pipeline.set_progress_bar_config(disable=True)
    return pipeline


def _generator() -> Any:
    import torch

    return torch.Generator("cpu").manual_seed(0)


def inpainting(options: Options) -> list[Case]:
    """3 images per call, at 512²/25 steps and 768²/45 steps (toy: 64²/2, 96²/3)."""
    from diffusers import StableDiffusionInpaintPipeline
    from PIL import Image

    pipeline = _sd_pipeline(StableDiffusionInpaintPipeline, options, in_channels=9)
    if options.compiled:
        pipeline.unet.compile()  # in place: the pipeline keeps its UNet object
    sizes = [(64, 2), (96, 3)] if options.tiny else [(512, 25), (768, 45)]
    cases: list[Case] = []
    for size, steps in sizes[:1] if options.quick else sizes:
        image = Image.effect_noise((size, size), 64).convert("RGB")
        mask = Image.new("L", (size, size), 0)
        mask.paste(255, (size // 4, size // 4, 3 * size // 4, 3 * size // 4))

        def run(image: Any = image, mask: Any = mask, size: int = size, steps: int = steps) -> Any:
            return pipeline(prompt=PROMPT, image=image, mask_image=mask, height=size, width=size,
                            num_inference_steps=steps, num_images_per_prompt=3,
                            generator=_generator()).images

        cases.append((f"{size}² x3, {steps} steps", run))
    return cases


def garment_inpainting(options: Options) -> list[Case]:
    """SDXL inpainting + IP-Adapter (a garment photo): 3 images at 1024², 25 steps (toy:
    64², 2 steps). The IP-Adapter goes through ``load_ip_adapter`` as in ``core.load``."""
    import torch
    from diffusers import DPMSolverMultistepScheduler, StableDiffusionXLInpaintPipeline
    from diffusers.models.attention_processor import AttnProcessor, AttnProcessor2_0
    from PIL import Image
    from transformers import CLIPImageProcessorPil

    from model_artifacts.tiny.sdxl_inpainting import ip_adapter_state_dict
    from model_artifacts.tiny.tokenizers import clip_tokenizer

    with torch.device(options.device):
        parts = sdxl_inpainting_parts(tiny=options.tiny)
    side = int(parts["image_encoder"].config.image_size)
    scheduler = DPMSolverMultistepScheduler(
        beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", steps_offset=1)
    tokenizer = clip_tokenizer(options.work / "clip-tokenizer")
    pipeline = StableDiffusionXLInpaintPipeline(
        **parts, tokenizer=tokenizer, tokenizer_2=tokenizer, scheduler=scheduler,
        feature_extractor=CLIPImageProcessorPil(size={"shortest_edge": side},
                                                crop_size={"height": side, "width": side}),
        requires_aesthetics_score=False)
    pipeline.to(options.device, options.dtype)
    processor = AttnProcessor2_0() if options.half else AttnProcessor()
    pipeline.vae.set_attn_processor(processor)
    flat = ip_adapter_state_dict(pipeline.unet,
                                 int(parts["image_encoder"].config.projection_dim))
    nested: dict[str, dict[str, Any]] = {"image_proj": {}, "ip_adapter": {}}
    for key, value in flat.items():
        group, _, rest = key.partition(".")
        nested[group][rest] = value.to(options.device, options.dtype)
    pipeline.load_ip_adapter(nested, subfolder="", weight_name="random.safetensors")
    pipeline.set_ip_adapter_scale(0.7)
    pipeline.set_progress_bar_config(disable=True)
    if options.compiled:
        pipeline.unet.compile()
    size, steps = (64, 2) if options.tiny else (1024, 25)
    image = Image.effect_noise((size, size), 64).convert("RGB")
    mask = Image.new("L", (size, size), 0)
    mask.paste(255, (size // 4, size // 4, 3 * size // 4, 3 * size // 4))
    garment = Image.effect_noise((size // 2, size * 3 // 4), 48).convert("RGB")

    def run() -> Any:
        return pipeline(prompt=PROMPT, image=image, mask_image=mask, ip_adapter_image=garment,
                        height=size, width=size, num_inference_steps=steps,
                        num_images_per_prompt=3, generator=_generator()).images

    return [(f"{size}² x3, {steps} steps, garment photo", run)]


def clipseg(options: Options) -> list[Case]:
    """One image, 4 prompts in one forward pass."""
    import torch
    from PIL import Image
    from transformers import CLIPSegConfig, CLIPSegForImageSegmentation, CLIPSegProcessor
    from transformers.models.vit.image_processing_pil_vit import ViTImageProcessorPil

    from model_artifacts.tiny.tokenizers import clip_tokenizer

    side = 32 if options.tiny else CLIPSEG_IMAGE
    model = CLIPSegForImageSegmentation._from_config(
        CLIPSegConfig(**(TINY_CLIPSEG if options.tiny else CLIPSEG)),
        attn_implementation=options.attention, dtype=options.dtype,
    ).to(options.device).eval()
    processor = CLIPSegProcessor(
        image_processor=ViTImageProcessorPil(size={"height": side, "width": side}),
        tokenizer=clip_tokenizer(options.work / "clip-tokenizer"))
    prompts = ["the dress", "the shirt", "the jacket", "the shoes"]
    image = Image.effect_noise((side, side), 64).convert("RGB")
    inputs = processor(text=prompts, images=[image] * len(prompts), padding="max_length",
                       return_tensors="pt").to(options.device)
    inputs["pixel_values"] = inputs["pixel_values"].to(options.dtype)
    if options.compiled:
        model.compile()

    def run() -> Any:
        with torch.inference_mode():
            return model(**inputs).logits

    return [(f"{side}², 4 prompts", run)]


def clip_score(options: Options) -> list[Case]:
    """A 3×3 comparison report's CLIP scores: 9 images (1024², resized by CLIP's
    processor to 224²) each scored against its prompt through the comparison's
    ``ClipScorer`` (torchmetrics ``CLIPScore``), one image at a time as ``run.py`` does."""
    from PIL import Image
    from transformers import CLIPConfig, CLIPImageProcessorPil, CLIPModel, CLIPProcessor

    from model_artifacts.tiny.tokenizers import clip_tokenizer
    from sagemaker_containers.common.device import DeviceProfile
    from sagemaker_containers.comparison.scoring import ClipScorer

    side, crop = (64, 32) if options.tiny else (1024, 224)
    model = CLIPModel._from_config(
        CLIPConfig(**(TINY_CLIP if options.tiny else CLIP_L)),
        attn_implementation=options.attention, dtype=options.dtype,
    ).to(options.device).eval()
    processor = CLIPProcessor(
        image_processor=CLIPImageProcessorPil(size={"shortest_edge": crop},
                                              crop_size={"height": crop, "width": crop}),
        tokenizer=clip_tokenizer(options.work / "clip-tokenizer"))
    if options.compiled:
        model.compile()
    scorer = ClipScorer.of(model, processor, DeviceProfile(options.device, options.dtype),
                           "clip-vit-large-patch14")
    images = [Image.effect_noise((side, side), 40 + i).convert("RGB") for i in range(9)]

    def run() -> Any:
        return [scorer.score(image, PROMPT) for image in images]

    return [(f"9 images {side}² → {crop}²", run)]


def blip2(options: Options) -> list[Case]:
    """Seven attribute questions about one image: one batched ``generate`` (10 tokens), seven
    separate ``generate`` calls (the AWS sample's way), and seven taxonomy attributes of
    five values each scored in one pass (``core.score_choices``, the handler's path)."""
    import torch
    from PIL import Image
    from transformers import Blip2Config, Blip2ForConditionalGeneration, Blip2Processor
    from transformers.models.blip.image_processing_pil_blip import BlipImageProcessorPil

    from model_artifacts.tiny.tokenizers import t5_tokenizer
    from sagemaker_containers.blip2 import core
    from sagemaker_containers.blip2.adapters import AdapterSet
    from sagemaker_containers.common.device import DeviceProfile

    spec = TINY_BLIP2 if options.tiny else BLIP2
    side = spec["vision_config"]["image_size"]
    tokenizer = t5_tokenizer()
    processor = Blip2Processor(
        image_processor=BlipImageProcessorPil(size={"height": side, "width": side}),
        tokenizer=tokenizer, num_query_tokens=spec["num_query_tokens"])
    config = Blip2Config(**spec, image_token_index=tokenizer.convert_tokens_to_ids(
        processor.image_token.content))
    model = Blip2ForConditionalGeneration._from_config(
        config, attn_implementation=options.attention, dtype=options.dtype,
    ).to(options.device).eval()
    if options.compiled:  # the encoders; the decoding loop stays eager
        model.vision_model.compile()
        model.qformer.compile()
    image = Image.effect_noise((side, side), 64).convert("RGB")
    prompts = [f"Question: What is the {name} of this garment? Answer:" for name in ATTRIBUTES]
    inputs = processor(images=[image] * len(prompts), text=prompts, padding=True,
                       return_tensors="pt").to(options.device)
    inputs["pixel_values"] = inputs["pixel_values"].to(options.dtype)
    one = [processor(images=[image], text=[p], return_tensors="pt").to(options.device)
           for p in prompts]
    for single in one:
        single["pixel_values"] = single["pixel_values"].to(options.dtype)
    handler_model = core.Model(
        network=model, processor=processor, encoder_decoder=True, adapters=AdapterSet(model),
        profile=DeviceProfile(device=options.device, dtype=options.dtype,
                              attention=options.attention))
    # The taxonomy case: 7 attributes x 5 allowed values, every value scored in one pass.
    asked = {name: (f"What is the {name} of this garment?", [f"{name} {n}" for n in VALUES])
             for name in ATTRIBUTES}

    def run() -> Any:
        with torch.inference_mode():
            # Random weights may stop at once: force the same 10 tokens every time.
            return model.generate(**inputs, max_new_tokens=10, min_new_tokens=10)

    def separate_calls() -> Any:
        # The AWS sample's way: one endpoint call (one generate) per attribute.
        with torch.inference_mode():
            return [model.generate(**single, max_new_tokens=10, min_new_tokens=10)
                    for single in one]

    def taxonomy() -> Any:
        return core.score_choices(handler_model, image, asked)

    count = len(prompts)
    return [
        (f"{side}², {count} questions, one generate", run),
        (f"{side}², {count} questions, {count} separate generates", separate_calls),
        (f"{side}², {count} taxonomy attributes x {len(VALUES)} values, one scoring pass",
         taxonomy),
    ]


def avatar(options: Options) -> list[Case]:
    """SD 2.1 base through ``AvatarGenerator``: adapter load, swap, and same-adapter runs."""
    import torch
    from diffusers import StableDiffusionPipeline
    from diffusers.utils import convert_state_dict_to_diffusers
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    from sagemaker_containers.avatar import core

    pipeline = _sd_pipeline(StableDiffusionPipeline, options, in_channels=4)
    adapters = {}
    for name in ("a", "b"):  # two rank-4 adapters with random (non-zero) weights
        pipeline.unet.add_adapter(LoraConfig(r=4, lora_alpha=4, init_lora_weights="gaussian",
                                             target_modules=["to_q", "to_k", "to_v", "to_out.0"]),
                                  adapter_name=name)
        state = get_peft_model_state_dict(pipeline.unet, adapter_name=name)
        state = {k: torch.randn_like(v).mul_(0.01).to("cpu", torch.float16)
                 for k, v in convert_state_dict_to_diffusers(state).items()}
        pipeline.unet.delete_adapters(name)
        adapters[name] = options.work / f"adapter-{name}"
        StableDiffusionPipeline.save_lora_weights(adapters[name], unet_lora_layers=state)
    generator = core.AvatarGenerator(pipeline, max_adapters=2)
    request = core.GenerationRequest(prompt=PROMPT, steps=2 if options.tiny else 25, seed=0)
    order = itertools.cycle("ba")  # "a" is attached last, so every call switches

    def generate(name: str) -> Any:
        return generator.generate(name, adapters[name], request)

    def load_then_generate() -> Any:
        generator.evict("a")
        return generate("a")

    def swap_then_generate() -> Any:
        return generate(next(order))

    generator.attach("a", adapters["a"])
    generator.attach("b", adapters["b"])
    size = "64²" if options.tiny else "512²"
    cases: list[Case] = [(f"{size}, same adapter", lambda: generate("a")),
                         (f"{size}, swap A<->B (cached)", swap_then_generate)]
    if options.compiled:
        # Compiled in place after both adapters are attached (a new one would recompile);
        # peft and the pipeline still see the same UNet object.
        pipeline.unet.compile()
    else:
        cases.insert(0, (f"{size}, load adapter + generate", load_then_generate))
    return cases[:1] if options.quick else cases


def generation(options: Options) -> list[Case]:
    """SDXL base: 4 images at 1024², 30 steps; SDXL-Turbo (same architecture, Euler
    ancestral on trailing timesteps, no guidance) 4 images at 512², 4 steps; + a canny
    ControlNet; + 3 tenant LoRAs (rank 16) at once; and a tenant adapter's swap on the warm
    base, from memory (loaded: ``set_adapters``) and from disk (load + activate), through
    the container's ``generation.adapters.Adapters`` (toy: 64², 2 steps)."""
    import torch
    from diffusers import (
        ControlNetModel,
        DPMSolverMultistepScheduler,
        EulerAncestralDiscreteScheduler,
        StableDiffusionXLControlNetPipeline,
        StableDiffusionXLPipeline,
    )
    from diffusers.models.attention_processor import AttnProcessor, AttnProcessor2_0
    from diffusers.utils import convert_state_dict_to_diffusers
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict
    from PIL import Image

    from model_artifacts.tiny.tokenizers import clip_tokenizer
    from sagemaker_containers.generation import control
    from sagemaker_containers.generation.adapters import AdapterRequest, Adapters

    with torch.device(options.device):
        parts = sdxl_parts(tiny=options.tiny)
    tokenizer = clip_tokenizer(options.work / "clip-tokenizer")
    schedule = {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear",
                "steps_offset": 1}
    pipeline = StableDiffusionXLPipeline(
        **parts, tokenizer=tokenizer, tokenizer_2=tokenizer,
        scheduler=DPMSolverMultistepScheduler(**schedule))
    pipeline.to(options.device, options.dtype)
    processor = AttnProcessor2_0() if options.half else AttnProcessor()
    pipeline.unet.set_attn_processor(processor)
    pipeline.vae.set_attn_processor(processor)
    pipeline.set_progress_bar_config(disable=True)
    turbo = StableDiffusionXLPipeline.from_pipe(
        pipeline, scheduler=EulerAncestralDiscreteScheduler(**schedule,
                                                             timestep_spacing="trailing"))
    with torch.device(options.device):
        net = ControlNetModel.from_unet(pipeline.unet).to(options.device, options.dtype)
    controlled = StableDiffusionXLControlNetPipeline.from_pipe(pipeline, controlnet=net)
    for view in (turbo, controlled):
        view.set_progress_bar_config(disable=True)
    if options.compiled:
        pipeline.unet.compile()
    # Three rank-16 product LoRAs with random (non-zero) weights, as training writes them.
    root = options.work / "adapters"
    for name in ("a", "b", "c"):
        pipeline.unet.add_adapter(LoraConfig(r=16, lora_alpha=16, init_lora_weights="gaussian",
                                             target_modules=["to_q", "to_k", "to_v", "to_out.0"]),
                                  adapter_name=name)
        state = get_peft_model_state_dict(pipeline.unet, adapter_name=name)
        state = {k: torch.randn_like(v).mul_(0.01).to("cpu", torch.float16)
                 for k, v in convert_state_dict_to_diffusers(state).items()}
        pipeline.unet.delete_adapters(name)
        StableDiffusionXLPipeline.save_lora_weights(root / name, unet_lora_layers=state)
    adapters = Adapters(pipeline, root=root, max_adapters=8)
    loras = [AdapterRequest(name, weight=0.7) for name in ("a", "b", "c")]
    size, steps = (64, 2) if options.tiny else (1024, 30)
    turbo_size = 64 if options.tiny else 512
    photo = Image.effect_noise((size, size), 64).convert("RGB")
    edges = control.canny(photo)

    def generate(view: Any, side: int, n_steps: int, **extra: Any) -> Any:
        return view(prompt=PROMPT, height=side, width=side, num_inference_steps=n_steps,
                    num_images_per_prompt=4, generator=_generator(), **extra).images

    def base() -> Any:
        adapters.activate([], PROMPT)
        return generate(pipeline, size, steps)

    def with_adapters() -> Any:
        adapters.activate(loras, PROMPT)
        return generate(pipeline, size, steps)

    def swap_in_memory() -> Any:  # all three loaded: activation only
        adapters.activate(loras[:1], PROMPT)
        return adapters.activate(loras[1:2], PROMPT)

    def swap_from_disk() -> Any:
        adapters._unload("a")
        return adapters.activate(loras[:1], PROMPT)

    cases: list[Case] = [
        (f"{size}² x4, {steps} steps", base),
        (f"turbo {turbo_size}² x4, 4 steps", lambda: generate(turbo, turbo_size, 4,
                                                               guidance_scale=0.0)),
        (f"{size}² x4, {steps} steps + ControlNet canny",
         lambda: generate(controlled, size, steps, image=edges)),
        (f"{size}² x4, {steps} steps + 3 LoRAs", with_adapters),
        ("adapter swap, loaded (set_adapters)", swap_in_memory),
        ("adapter swap, from disk (load + set_adapters)", swap_from_disk),
    ]
    return cases[:1] if options.quick else cases


SCENARIOS: dict[str, Callable[[Options], list[Case]]] = {
    "inpainting": inpainting,
    "garment_inpainting": garment_inpainting,
    "clipseg": clipseg,
    "clip_score": clip_score,
    "blip2": blip2,
    "avatar": avatar,
    "generation": generation,
}
