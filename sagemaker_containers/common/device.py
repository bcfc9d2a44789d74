"""Where and how precisely to run: CUDA → fp16 + SDPA attention; CPU → fp32.

``VITRINE_DEVICE`` (``cuda``/``cpu``) overrides the choice, e.g. to force CPU on a GPU
host. ``VITRINE_TORCH_THREADS`` caps torch's CPU threads: on a small shared machine
(the local profile) one thread avoids OpenMP workers stalling on busy cores, which
measured 10-50x tail latencies on 2 cores. torch is imported on call, so importing
this module stays cheap.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch


@dataclass(frozen=True, slots=True)
class DeviceProfile:
    device: str  # "cuda" | "cpu"
    dtype: torch.dtype
    # PyTorch's fused scaled-dot-product attention; the default kernels on both devices.
    attention: str = "sdpa"

    @property
    def is_cuda(self) -> bool:
        return self.device == "cuda"


def select_device(prefer: str | None = None) -> DeviceProfile:
    """The profile for this host: half precision only where a GPU makes it pay."""
    import torch

    wanted = (prefer or os.environ.get("VITRINE_DEVICE") or "").strip().lower()
    if wanted not in {"", "cuda", "cpu"}:
        raise ValueError(f"VITRINE_DEVICE must be 'cuda' or 'cpu', not {wanted!r}")
    threads = os.environ.get("VITRINE_TORCH_THREADS", "").strip()
    if threads:
        if not threads.isdigit() or int(threads) < 1:
            raise ValueError(f"VITRINE_TORCH_THREADS must be a positive integer, not {threads!r}")
        torch.set_num_threads(int(threads))
    use_cuda = torch.cuda.is_available() if wanted == "" else wanted == "cuda"
    if use_cuda and not torch.cuda.is_available():
        raise RuntimeError("VITRINE_DEVICE=cuda but no CUDA device is available")
    if use_cuda:
        return DeviceProfile(device="cuda", dtype=torch.float16)
    return DeviceProfile(device="cpu", dtype=torch.float32)
