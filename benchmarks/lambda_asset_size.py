"""Size of the Lambda code asset (``.lambda-asset/``), unzipped and zipped.

Builds the asset first if it is missing (``scripts/build_lambda_asset.py``). Lambda allows
250 MB unzipped for a function's code; the figures show how far below it we are and
which distributions weigh the most.

Usage: ``python benchmarks/lambda_asset_size.py [--asset .lambda-asset]``
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import sys
import zipfile
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType

REPO_ROOT = Path(__file__).resolve().parent.parent
LIMIT_UNZIPPED = 250 * 1024 * 1024
MB = 1024 * 1024


def _build_script() -> ModuleType:
    path = REPO_ROOT / "scripts" / "build_lambda_asset.py"
    spec = importlib.util.spec_from_file_location("build_lambda_asset", path)
    if spec is None or spec.loader is None:
        raise ImportError(path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def zipped_size(folder: Path) -> int:
    """Bytes of the deflated zip CDK would upload."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder))
    return buffer.tell()


def by_top_level(folder: Path) -> Counter[str]:
    sizes: Counter[str] = Counter()
    for path in folder.rglob("*"):
        if path.is_file():
            top = path.relative_to(folder).parts[0]
            sizes[top.split("-")[0] if top.endswith(".dist-info") else top] += path.stat().st_size
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--asset", type=Path, default=REPO_ROOT / ".lambda-asset")
    args = parser.parse_args()
    script = _build_script()
    if not (args.asset / script.STAMP_NAME).is_file():
        script.build(args.asset)
    unzipped, files = script.tree_size(args.asset)
    zipped = zipped_size(args.asset)
    print(f"Lambda asset {args.asset}")
    print(f"  files:     {files}")
    print(f"  unzipped:  {unzipped / MB:7.1f} MiB ({unzipped / LIMIT_UNZIPPED:.0%} of 250 MB)")
    print(f"  zipped:    {zipped / MB:7.1f} MiB (ratio {zipped / unzipped:.2f})")
    print("  largest:")
    for name, size in by_top_level(args.asset).most_common(8):
        print(f"    {name:<28} {size / MB:6.1f} MiB")


if __name__ == "__main__":
    main()
