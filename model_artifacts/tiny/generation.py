"""The tiny generation model folder, and tiny tenant adapters for it (tests, the demo).

``build`` writes what ``sagemaker_containers.generation.core.load`` reads: the SDXL base
at the root (``sdxl``), ``turbo/`` (a second tiny SDXL, as ``stabilityai/sdxl-turbo`` is a
second checkpoint of the same architecture) and ``controlnet/canny`` +
``controlnet/depth`` (diffusers ``ControlNetModel`` in the released SDXL ControlNets'
layout, made from the base UNet's config) and ``depth/``, a tiny DPT depth estimator
(``DPTForDepthEstimation`` + its image processor, as ``Intel/dpt-hybrid-midas`` is laid
out) that computes the depth control image.

``write_lora`` / ``write_concept`` write adapters in the files the trainers produce:
``pytorch_lora_weights.safetensors`` as ``save_lora_weights`` writes it (the UNet's
attention projections), and ``learned_embeds.safetensors`` with ``clip_l``
and ``clip_g``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from model_artifacts.tiny import sdxl
from model_artifacts.tiny.sdxl_inpainting import TEXT_2_HIDDEN, TEXT_HIDDEN

if TYPE_CHECKING:
    from pathlib import Path

CONTROL_TYPES = ("canny", "depth")
LORA_WEIGHTS = "pytorch_lora_weights.safetensors"
EMBEDDINGS = "learned_embeds.safetensors"


def build(out_dir: Path) -> Path:
    import torch
    from diffusers import ControlNetModel, UNet2DConditionModel

    sdxl.build(out_dir)
    sdxl.build(out_dir / "turbo", seed=1)
    unet = UNet2DConditionModel.from_pretrained(out_dir / "unet")
    for index, kind in enumerate(CONTROL_TYPES):
        torch.manual_seed(10 + index)
        # Four widths: three stride-2 steps from pixels to latents (8x), as released.
        net = ControlNetModel.from_unet(unet, conditioning_embedding_out_channels=(8, 8, 16, 16))
        # Training starts the "zero convolutions" at zero; random ones make the tiny net
        # act on the image, as a trained one does.
        with torch.no_grad():
            for name, parameter in net.named_parameters():
                if name.startswith(("controlnet_down_blocks", "controlnet_mid_block",
                                    "controlnet_cond_embedding.conv_out")):
                    parameter.normal_(0.0, 0.1)
        net.save_pretrained(out_dir / "controlnet" / kind)
    write_depth_estimator(out_dir / "depth")
    return out_dir


def write_depth_estimator(out_dir: Path) -> Path:
    """A tiny DPT (ViT backbone, 4 reassembled stages) with its image processor."""
    import torch
    from transformers import DPTConfig, DPTForDepthEstimation, DPTImageProcessorPil

    torch.manual_seed(20)
    config = DPTConfig(hidden_size=16, num_hidden_layers=4, num_attention_heads=2,
                       intermediate_size=32, image_size=32, patch_size=8,
                       neck_hidden_sizes=[8, 8, 16, 16], fusion_hidden_size=8,
                       backbone_out_indices=[0, 1, 2, 3])
    DPTForDepthEstimation(config).save_pretrained(out_dir)
    DPTImageProcessorPil(size={"height": 32, "width": 32},
                         keep_aspect_ratio=False).save_pretrained(out_dir)
    return out_dir


def write_lora(base_dir: Path, out_dir: Path, *, seed: int = 0, rank: int = 4) -> Path:
    """A random LoRA on the UNet's attention projections of the SDXL pipeline at
    ``base_dir``, saved with ``StableDiffusionXLPipeline.save_lora_weights`` (UNet only,
    as the SDXL DreamBooth-LoRA recipe trains by default)."""
    import torch
    from diffusers import StableDiffusionXLPipeline, UNet2DConditionModel
    from peft import LoraConfig, get_peft_model_state_dict, inject_adapter_in_model

    torch.manual_seed(seed)
    unet = UNet2DConditionModel.from_pretrained(base_dir / "unet")
    # init_lora_weights=False: random B as well as A, so the adapter changes the output.
    inject_adapter_in_model(LoraConfig(r=rank, lora_alpha=rank, init_lora_weights=False,
                                       target_modules=["to_k", "to_q", "to_v", "to_out.0"]),
                            unet)
    StableDiffusionXLPipeline.save_lora_weights(
        out_dir,
        unet_lora_layers=get_peft_model_state_dict(unet),
        weight_name=LORA_WEIGHTS,
    )
    return out_dir


def write_concept(out_dir: Path, *, seed: int = 0, vectors: int = 1) -> Path:
    """A random textual-inversion concept: ``clip_l`` and ``clip_g`` embeddings."""
    import torch
    from safetensors.torch import save_file

    generator = torch.Generator().manual_seed(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    save_file({"clip_l": torch.randn(vectors, TEXT_HIDDEN, generator=generator),
               "clip_g": torch.randn(vectors, TEXT_2_HIDDEN, generator=generator)},
              str(out_dir / EMBEDDINGS))
    return out_dir
