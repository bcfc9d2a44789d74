"""Style classes for try-on: DreamBooth-LoRA on the SD 2 *inpainting* base.

The recipe of the SageMaker fashion-styling blog (``train_dreambooth_inpaint.py``): about
a dozen images of one style class (e.g. "casual long summer skirts"), each with a caption
naming design, pattern, colour and fabric; every step masks a random rectangle of the
image, and the inpainting UNet (latent + mask + masked-image latent in, 9 channels)
learns to fill it in that style; optional prior preservation on class images the base
itself generates (random image, whole-image mask, the class prompt). The blog fine-tunes
the whole UNet and the text encoder (``--learning_rate 2e-6``, 800 steps, 200 class
images, prior loss weight 1.0, 512 px, ~22 GB); here LoRA on the UNet's attention (and,
with ``--train_text_encoder``, the text encoder's) keeps the base frozen and shared, so
a try-on applies a tenant's style by loading a few-MB adapter on the warm base. LoRA
wants a higher rate than full fine-tuning: 1e-4 (diffusers' DreamBooth-LoRA default).

    python sagemaker_containers/style/train.py --pretrained_model_name_or_path models/inpainting \\
        --instance_data_dir set/ --output_dir out/ --class_name skirt --with_prior_preservation

Writes ``pytorch_lora_weights.safetensors`` (diffusers' format) and ``model.json``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sagemaker_containers.avatar.dreambooth import to_pixels
from sagemaker_containers.avatar.photos import load_photos, square_crop
from sagemaker_containers.common import tuning
from sagemaker_containers.common.captioned import load_captioned, prompt_for

if TYPE_CHECKING:
    import argparse

    import torch
    from PIL import Image


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = tuning.parser("DreamBooth-LoRA on the inpainting base (a style class)",
                      resolution=512, steps=800, learning_rate=1e-4, token="sks")
    tuning.lora_arguments(p)
    add = p.add_argument
    add("--class_name", default="garment", help="the style class's noun, e.g. skirt")
    add("--class_prompt", default=None, help="default: 'a photo of a {class_name}'")
    add("--class_data_dir", default=str(Path(tuning._channel("class"))))
    tuning.flag(p, "--with_prior_preservation")
    tuning.flag(p, "--train_text_encoder")
    add("--prior_loss_weight", type=float, default=1.0)
    add("--num_class_images", type=int, default=200)
    add("--class_inference_steps", type=int, default=25)
    args = tuning.finish_args(p.parse_args(argv))
    args.class_prompt = args.class_prompt or f"a photo of a {args.class_name}"
    return args


def random_mask(size: int, generator: torch.Generator, *, full: bool = False) -> torch.Tensor:
    """A ``1×size×size`` mask (1 = repaint): a random rectangle covering 1/16 to 3/4 of
    each side, as the blog's script draws them, or the whole image."""
    import torch

    mask = torch.zeros(1, size, size)
    if full:
        return mask + 1
    sides = torch.randint(size // 4, size * 3 // 4 + 1, (2,), generator=generator)
    h, w = int(sides[0]), int(sides[1])
    top = int(torch.randint(0, size - h + 1, (1,), generator=generator))
    left = int(torch.randint(0, size - w + 1, (1,), generator=generator))
    mask[:, top:top + h, left:left + w] = 1
    return mask


class InpaintingBase:
    """The frozen SD 2 inpainting parts."""

    def __init__(self, path: str, device: torch.device) -> None:
        from diffusers import AutoencoderKL, DDPMScheduler, UNet2DConditionModel
        from transformers import CLIPTextModel, CLIPTokenizer

        self.path, self.device = path, device
        self.tokenizer = CLIPTokenizer.from_pretrained(path, subfolder="tokenizer")
        self.text_encoder = CLIPTextModel.from_pretrained(path, subfolder="text_encoder")
        self.vae = AutoencoderKL.from_pretrained(path, subfolder="vae")
        self.unet = UNet2DConditionModel.from_pretrained(path, subfolder="unet")
        self.scheduler = DDPMScheduler.from_pretrained(path, subfolder="scheduler")
        if self.unet.config.in_channels != 9:
            raise tuning.TrainingConfigError("the base's UNet is not an inpainting UNet "
                                             "(9 input channels)")
        models: tuple[Any, ...] = (self.text_encoder, self.vae, self.unet)
        for model in models:
            model.requires_grad_(False)
            model.to(device)

    def tokens(self, prompts: list[str]) -> torch.Tensor:
        return self.tokenizer(prompts, padding="max_length", truncation=True,  # type: ignore[no-any-return]
                              max_length=self.tokenizer.model_max_length,
                              return_tensors="pt").input_ids.to(self.device)

    def latents(self, pixels: torch.Tensor) -> torch.Tensor:
        latent: torch.Tensor = self.vae.encode(pixels.to(self.device)).latent_dist.sample()
        return latent * float(self.vae.config.scaling_factor)

    def generate_class_images(self, args: argparse.Namespace, count: int, into: Path) -> None:
        """Prior-preservation images from the base itself: a noise image, all of it masked,
        the class prompt (as the blog's script makes them)."""
        import numpy as np
        import torch
        from diffusers import StableDiffusionInpaintPipeline
        from PIL import Image

        pipeline = StableDiffusionInpaintPipeline(
            vae=self.vae, text_encoder=self.text_encoder, tokenizer=self.tokenizer,
            unet=self.unet, scheduler=self.scheduler, safety_checker=None,
            feature_extractor=None, requires_safety_checker=False)
        pipeline.set_progress_bar_config(disable=True)
        into.mkdir(parents=True, exist_ok=True)
        rng = np.random.default_rng(args.seed)
        generator = torch.Generator("cpu").manual_seed(args.seed)
        mask = Image.new("L", (args.resolution, args.resolution), 255)
        for made in range(count):
            noise = rng.integers(0, 256, (args.resolution, args.resolution, 3), dtype=np.uint8)
            image = pipeline(args.class_prompt, image=Image.fromarray(noise), mask_image=mask,
                             height=args.resolution, width=args.resolution,
                             num_inference_steps=args.class_inference_steps,
                             generator=generator).images[0]
            image.save(into / f"generated-{made:05d}.png")


def main(args: argparse.Namespace) -> dict[str, Any]:
    import torch

    started = time.monotonic()
    tuning.check_config(args)
    examples = load_captioned(Path(args.instance_data_dir), min_count=args.min_images,
                              max_count=args.max_images, min_side=args.min_image_side)

    from diffusers import StableDiffusionInpaintPipeline
    from diffusers.utils.state_dict_utils import convert_state_dict_to_diffusers
    from peft import LoraConfig, inject_adapter_in_model
    from peft.utils import get_peft_model_state_dict

    torch.manual_seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    base = InpaintingBase(args.pretrained_model_name_or_path, device)
    class_images: list[Image.Image] = []
    if args.with_prior_preservation:
        class_dir = Path(args.class_data_dir)
        have = load_photos(class_dir, min_side=1)[0] if class_dir.is_dir() else []
        if len(have) < args.num_class_images:
            base.generate_class_images(args, args.num_class_images - len(have), class_dir)
        class_images = load_photos(class_dir, min_side=1)[0][: args.num_class_images]

    pixels = to_pixels([square_crop(e.image, args.resolution) for e in examples])
    prompts = [prompt_for(e.caption, args.token) for e in examples]
    class_pixels = to_pixels([square_crop(i, args.resolution) for i in class_images]) \
        if class_images else None
    unet, text_encoder = base.unet, base.text_encoder
    unet.add_adapter(LoraConfig(r=args.rank, lora_alpha=args.lora_alpha,
                                init_lora_weights="gaussian",
                                target_modules=tuning.UNET_LORA_TARGETS))
    if args.train_text_encoder:
        # peft directly: transformers' own add_adapter wants a newer peft than the lock's.
        inject_adapter_in_model(LoraConfig(r=args.rank, lora_alpha=args.lora_alpha,
                                           init_lora_weights="gaussian",
                                           target_modules=tuning.TEXT_LORA_TARGETS),
                                text_encoder)
    params = [p for m in (unet, text_encoder) for p in m.parameters() if p.requires_grad]
    picker = torch.Generator().manual_seed(args.seed)
    size = args.resolution

    def inputs(images: torch.Tensor, texts: list[str], full: bool) -> tuple[torch.Tensor, ...]:
        masks = torch.stack([random_mask(size, picker, full=full) for _ in range(len(images))])
        with torch.no_grad():
            latents = base.latents(images)
            masked = base.latents(images * (masks < 0.5))
        small = torch.nn.functional.interpolate(masks, size=latents.shape[-2:]).to(device)
        embeds = text_encoder(base.tokens(texts))[0]
        return latents, small, masked, embeds

    def step() -> torch.Tensor:
        pick = torch.randint(len(pixels), (args.train_batch_size,), generator=picker).tolist()
        parts = [inputs(pixels[pick], [prompts[i] for i in pick], False)]
        if class_pixels is not None:
            cpick = torch.randint(len(class_pixels), (args.train_batch_size,), generator=picker)
            parts.append(inputs(class_pixels[cpick], [args.class_prompt] * len(cpick), True))
        latents, masks, masked, embeds = (torch.cat(t) for t in zip(*parts, strict=True))
        noise = torch.randn_like(latents)
        timesteps = torch.randint(0, base.scheduler.config.num_train_timesteps,
                                  (len(latents),), device=device)
        noisy = base.scheduler.add_noise(latents, noise, timesteps)
        prediction = unet(torch.cat([noisy, masks, masked], dim=1), timesteps, embeds,
                          return_dict=False)[0].float()
        target = tuning.denoising_target(base.scheduler, latents, noise, timesteps)
        if class_pixels is None:
            return torch.nn.functional.mse_loss(prediction, target)
        prediction, prior_prediction = prediction.chunk(2)
        target, prior_target = target.chunk(2)
        prior = torch.nn.functional.mse_loss(prior_prediction, prior_target)
        loss: torch.Tensor = torch.nn.functional.mse_loss(prediction, target)
        return loss + float(args.prior_loss_weight) * prior

    unet.train()
    curve = tuning.train_loop(args, params, step)

    output = Path(args.output_dir)
    output.mkdir(parents=True, exist_ok=True)

    def half(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        return {k: v.detach().to("cpu", torch.float16) for k, v in state.items()}

    def text_lora() -> dict[str, torch.Tensor]:
        # peft's own key names (adapter name dropped), which load_lora_weights reads.
        return half({k.replace(".default", ""): v for k, v in text_encoder.state_dict().items()
                     if ".lora_" in k})

    StableDiffusionInpaintPipeline.save_lora_weights(
        output,
        unet_lora_layers=half(convert_state_dict_to_diffusers(get_peft_model_state_dict(unet))),
        text_encoder_lora_layers=text_lora() if args.train_text_encoder else None,
        weight_name=tuning.LORA_WEIGHTS, safe_serialization=True)
    return tuning.write_metadata(
        args, "style", started=started, images=len(examples), curve=curve,
        adapter=tuning.LORA_WEIGHTS, rank=args.rank, lora_alpha=args.lora_alpha,
        class_name=args.class_name, class_prompt=args.class_prompt if class_images else None,
        prior_preservation=bool(class_images), class_image_count=len(class_images),
        train_text_encoder=bool(args.train_text_encoder))


def cli(argv: list[str] | None = None) -> int:
    return tuning.run_cli(parse_args, main, argv)


if __name__ == "__main__":
    sys.exit(cli())
