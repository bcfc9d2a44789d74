"""The DreamBooth objective over cached inputs: latent distributions and prompt embeddings.

The VAE and text encoder are frozen, so ``train.py`` runs them once and keeps only what
they produce; each step then draws fresh latents from the cached distributions and
scores the UNet's denoising, optionally with a prior-preservation half-batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch
    from PIL import Image


def to_pixels(images: list[Image.Image]) -> torch.Tensor:
    """Same-sized RGB images as a ``[-1, 1]`` NCHW float batch."""
    import numpy as np
    import torch

    arrays = [np.asarray(image, dtype=np.float32) for image in images]
    batch = torch.from_numpy(np.stack(arrays)).permute(0, 3, 1, 2)
    return batch / 127.5 - 1.0


@dataclass
class TrainingSet:
    """Cached latent distributions and prompt embeddings: all a LoRA step needs."""

    mean: torch.Tensor
    std: torch.Tensor
    embeds: torch.Tensor
    # Prior preservation: the class images' latents and the class prompt's embedding.
    class_mean: torch.Tensor | None = None
    class_std: torch.Tensor | None = None
    class_embeds: torch.Tensor | None = None

    def batch(self, size: int, picker: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """``size`` instance latents (then ``size`` class latents), with their prompts."""
        import torch

        parts = [(self.mean, self.std, self.embeds)]
        if self.class_mean is not None and self.class_std is not None:
            assert self.class_embeds is not None
            parts.append((self.class_mean, self.class_std, self.class_embeds))
        latents, embeds = [], []
        for mean, std, embed in parts:
            index = torch.randint(len(mean), (size,), generator=picker).to(mean.device)
            # A fresh draw from each image's latent distribution, as VAE encoding would give.
            latents.append(mean[index] + std[index] * torch.randn_like(mean[index]))
            embeds.append(embed.expand(size, -1, -1))
        return torch.cat(latents), torch.cat(embeds)


def diffusion_loss(unet: Any, scheduler: Any, latents: torch.Tensor, embeds: torch.Tensor,
                   *, prior_weight: float | None) -> torch.Tensor:
    """The denoising loss; with ``prior_weight`` the batch's second half is the prior."""
    import torch
    import torch.nn.functional as F

    noise = torch.randn_like(latents)
    timesteps = torch.randint(0, scheduler.config.num_train_timesteps, (latents.shape[0],),
                              device=latents.device)
    prediction = unet(scheduler.add_noise(latents, noise, timesteps), timesteps, embeds,
                      return_dict=False)[0].float()
    if scheduler.config.prediction_type == "v_prediction":  # SD 2 at 768 px
        target = scheduler.get_velocity(latents, noise, timesteps).float()
    else:
        target = noise.float()
    if prior_weight is None:
        return F.mse_loss(prediction, target)
    prediction, class_prediction = prediction.chunk(2)
    target, class_target = target.chunk(2)
    prior = F.mse_loss(class_prediction, class_target)
    return F.mse_loss(prediction, target) + prior_weight * prior
