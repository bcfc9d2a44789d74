"""How small an avatar is: the LoRA adapter file vs the full pipeline it adapts.

An avatar is one ``pytorch_lora_weights.safetensors`` (UNet attention LoRA, as
``sagemaker_containers/avatar/train.py`` writes it) on top of a shared SD 2 base. For the
full-size SD 2.1 base the architecture is built on PyTorch's ``meta`` device (shapes, no
memory, no download): parameters are counted, and the adapter file is really written
from zero tensors of the LoRA shapes, so its size includes the safetensors header. The
tiny test base is measured the same way and against its files on disk.

    python benchmarks/adapter_size.py [--ranks 4,16,64] [--skip-full]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LORA_TARGETS = ["to_q", "to_k", "to_v", "to_out.0"]  # train.py's targets


@dataclass(frozen=True, slots=True)
class Row:
    base: str
    pipeline_params: int
    rank: int
    adapter_params: int
    adapter_file_bytes: int
    base_disk_bytes: int | None = None  # files on disk (tiny only)

    @property
    def pipeline_fp16_bytes(self) -> int:
        return 2 * self.pipeline_params


def _full_parts() -> tuple[Any, Any, Any]:
    from accelerate import init_empty_weights

    from benchmarks.model_configs import sd2_parts

    with init_empty_weights():  # meta tensors: shapes only
        return sd2_parts(in_channels=4, tiny=False)


def _tiny_parts(work: Path) -> tuple[tuple[Any, Any, Any], int]:
    """The tiny test base as the tests build it, and its safetensors bytes on disk."""
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from transformers import CLIPTextModel

    from model_artifacts.tiny.stable_diffusion import build

    base = build(work / "tiny-sd")
    parts = (UNet2DConditionModel.from_pretrained(base, subfolder="unet"),
             AutoencoderKL.from_pretrained(base, subfolder="vae"),
             CLIPTextModel.from_pretrained(base, subfolder="text_encoder"))
    return parts, sum(f.stat().st_size for f in base.rglob("*.safetensors"))


def _adapter_file(unet: Any, rank: int, directory: Path) -> tuple[int, int]:
    """(LoRA parameter count, bytes of the fp16 adapter file train.py would write)."""
    import torch
    from diffusers import StableDiffusionPipeline
    from diffusers.utils import convert_state_dict_to_diffusers
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    name = f"rank{rank}"
    unet.add_adapter(LoraConfig(r=rank, lora_alpha=rank, target_modules=LORA_TARGETS),
                     adapter_name=name)
    shapes = get_peft_model_state_dict(unet, adapter_name=name)
    unet.delete_adapters(name)
    state = {key: torch.zeros(tuple(value.shape), dtype=torch.float16)
             for key, value in convert_state_dict_to_diffusers(shapes).items()}
    StableDiffusionPipeline.save_lora_weights(directory / name, unet_lora_layers=state,
                                              safe_serialization=True)
    size = (directory / name / "pytorch_lora_weights.safetensors").stat().st_size
    return sum(t.numel() for t in state.values()), size


def measure(tiny: bool, ranks: list[int], work: Path) -> list[Row]:
    disk: int | None = None
    if tiny:
        (unet, vae, text), disk = _tiny_parts(work)
    else:
        unet, vae, text = _full_parts()
    params = sum(p.numel() for model in (unet, vae, text) for p in model.parameters())
    label = "tiny test SD" if tiny else "SD 2.1 base (865M UNet)"
    rows = []
    for rank in ranks:
        count, size = _adapter_file(unet, rank, work / ("tiny" if tiny else "full"))
        rows.append(Row(label, params, rank, count, size, disk))
    return rows


def _mb(value: float) -> str:
    return f"{value / 1e6:,.2f} MB" if value < 1e9 else f"{value / 1e9:,.2f} GB"


def render(rows: list[Row]) -> str:
    header = ("| base | pipeline params | pipeline (fp16) | rank | adapter params "
              "| adapter file | pipeline / adapter |")
    lines = [header, "|" + "---|" * 7]
    for row in rows:
        lines.append(f"| {row.base} | {row.pipeline_params / 1e6:,.1f} M "
                     f"| {_mb(row.pipeline_fp16_bytes)} | {row.rank} "
                     f"| {row.adapter_params / 1e6:,.3f} M | {_mb(row.adapter_file_bytes)} "
                     f"| {row.pipeline_fp16_bytes / row.adapter_file_bytes:,.0f}x |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ranks", default="4,16,64")
    parser.add_argument("--skip-full", action="store_true", help="only the tiny base")
    args = parser.parse_args(argv)
    ranks = [int(value) for value in args.ranks.split(",")]
    with tempfile.TemporaryDirectory() as scratch:
        rows = measure(True, ranks, Path(scratch))
        if not args.skip_full:
            rows += measure(False, ranks, Path(scratch))
    print(render(rows))
    tiny = rows[0]
    if tiny.base_disk_bytes:
        print(f"\ntiny base on disk: {_mb(tiny.base_disk_bytes)} of fp32 safetensors "
              f"= {tiny.base_disk_bytes / (4 * tiny.pipeline_params):.3f} x 4 bytes/param")
    return 0


if __name__ == "__main__":
    sys.exit(main())
