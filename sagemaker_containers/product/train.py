"""Product imagery: LoRA on SDXL from captioned catalog images.

The e-commerce studio's recipe: SDXL fine-tuned on a captioned clothes dataset with LoRA
(diffusers' ``train_text_to_image_lora_sdxl.py`` defaults: rank 4, 1e-4, 1024 px). Each
step encodes an image (frozen VAE), noises it, and scores the UNet's denoising
conditioned on its caption through both text encoders and SDXL's size/crop time ids;
only the UNet's attention projections learn.

    python -m sagemaker_containers.product.train \\
        --pretrained_model_name_or_path models/generation --instance_data_dir catalog/ \\
        --output_dir out/ --max_train_steps 1000

Writes ``pytorch_lora_weights.safetensors`` (diffusers' SDXL format) and ``model.json``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sagemaker_containers.avatar.dreambooth import to_pixels
from sagemaker_containers.avatar.photos import square_crop
from sagemaker_containers.common import tuning
from sagemaker_containers.common.captioned import load_captioned, prompt_for

if TYPE_CHECKING:
    import argparse

    import torch


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = tuning.parser("LoRA on SDXL from captioned catalog images",
                      resolution=1024, steps=1000, learning_rate=1e-4, token="")
    tuning.lora_arguments(p)
    return tuning.finish_args(p.parse_args(argv))


class SDXLBase:
    """The frozen SDXL parts, as a pipeline (its ``encode_prompt`` does the two-encoder
    embedding the UNet was trained with)."""

    def __init__(self, path: str, device: torch.device) -> None:
        from diffusers import StableDiffusionXLPipeline

        self.pipeline = StableDiffusionXLPipeline.from_pretrained(path)
        self.pipeline.set_progress_bar_config(disable=True)
        self.device = device
        for name in ("text_encoder", "text_encoder_2", "vae", "unet"):
            model = getattr(self.pipeline, name)
            model.requires_grad_(False)
            model.to(device)
        if self.pipeline.unet.config.in_channels != 4:
            raise tuning.TrainingConfigError("the base is not an SDXL text-to-image UNet")

    def latents(self, pixels: torch.Tensor) -> torch.Tensor:
        vae = self.pipeline.vae
        latent: torch.Tensor = vae.encode(pixels.to(self.device)).latent_dist.sample()
        return latent * float(vae.config.scaling_factor)

    def embed(self, prompts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """Per-token embeddings (both encoders' penultimate layers) and the pooled one."""
        embeds, _, pooled, _ = self.pipeline.encode_prompt(
            prompts, device=self.device, num_images_per_prompt=1,
            do_classifier_free_guidance=False)
        return embeds, pooled

    def loss(self, latents: torch.Tensor, embeds: torch.Tensor, pooled: torch.Tensor,
             size: int) -> torch.Tensor:
        import torch

        scheduler, unet = self.pipeline.scheduler, self.pipeline.unet
        noise = torch.randn_like(latents)
        timesteps = torch.randint(0, scheduler.config.num_train_timesteps, (len(latents),),
                                  device=self.device)
        # Original size, crop corner, target size: an uncropped square at the resolution.
        time_ids = torch.tensor([[size, size, 0, 0, size, size]], device=self.device,
                                dtype=embeds.dtype).repeat(len(latents), 1)
        prediction = unet(scheduler.add_noise(latents, noise, timesteps), timesteps, embeds,
                          added_cond_kwargs={"text_embeds": pooled, "time_ids": time_ids},
                          return_dict=False)[0].float()
        target = tuning.denoising_target(scheduler, latents, noise, timesteps)
        return torch.nn.functional.mse_loss(prediction, target)


def main(args: argparse.Namespace) -> dict[str, Any]:
    import torch

    started = time.monotonic()
    tuning.check_config(args)
    examples = load_captioned(Path(args.instance_data_dir), min_count=args.min_images,
                              max_count=args.max_images, min_side=args.min_image_side)

    from diffusers import StableDiffusionXLPipeline
    from diffusers.utils.state_dict_utils import convert_state_dict_to_diffusers
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    torch.manual_seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    base = SDXLBase(args.pretrained_model_name_or_path, device)
    pixels = to_pixels([square_crop(e.image, args.resolution) for e in examples])
    # The encoders are frozen: embed every caption once.
    with torch.no_grad():
        embeds, pooled = base.embed([prompt_for(e.caption, args.token) for e in examples])
    unet = base.pipeline.unet
    unet.add_adapter(LoraConfig(r=args.rank, lora_alpha=args.lora_alpha,
                                init_lora_weights="gaussian",
                                target_modules=tuning.UNET_LORA_TARGETS))
    params = [p for p in unet.parameters() if p.requires_grad]
    picker = torch.Generator().manual_seed(args.seed)

    def step() -> torch.Tensor:
        pick = torch.randint(len(pixels), (args.train_batch_size,), generator=picker)
        with torch.no_grad():
            latents = base.latents(pixels[pick])
        return base.loss(latents, embeds[pick], pooled[pick], args.resolution)

    unet.train()
    curve = tuning.train_loop(args, params, step)
    output = Path(args.output_dir)
    output.mkdir(parents=True, exist_ok=True)
    state = convert_state_dict_to_diffusers(get_peft_model_state_dict(unet))
    StableDiffusionXLPipeline.save_lora_weights(
        output, unet_lora_layers={k: v.detach().to("cpu", torch.float16) for k, v in state.items()},
        weight_name=tuning.LORA_WEIGHTS, safe_serialization=True)
    return tuning.write_metadata(args, "product", started=started, images=len(examples),
                                 curve=curve, adapter=tuning.LORA_WEIGHTS, rank=args.rank,
                                 lora_alpha=args.lora_alpha)


def cli(argv: list[str] | None = None) -> int:
    return tuning.run_cli(parse_args, main, argv)


if __name__ == "__main__":
    sys.exit(cli())
