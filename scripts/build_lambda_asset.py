"""Build the Lambda code asset without Docker: ``.lambda-asset/`` for the CDK app.

The asset holds the ``api`` and ``lambdas`` packages plus the runtime dependencies (the
core ``[project] dependencies`` of pyproject.toml), installed as manylinux wheels for
the Lambda platform, whatever machine runs this::

    pip install --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 \
        --only-binary=:all: --python-version 3.13 --implementation cp --target DIR DEPS...

The python3.13 runtime runs on Amazon Linux 2023 (glibc 2.34): wheels tagged up to
manylinux_2_34 load there, so manylinux_2_28 (preferred when a project ships it) and
manylinux2014 (glibc 2.17) are both accepted. The platform, Python version and
architecture here must match ``cdk/functions/construct.py`` (``tests/cdk`` checks it).

Dependencies are reinstalled only when the requirement list or platform changes (a
stamp file records them); the source packages are refreshed on every run.

Usage: ``python scripts/build_lambda_asset.py [--out .lambda-asset] [--force]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / ".lambda-asset"
STAMP_NAME = ".vitrine-asset.json"

# pip tries the platforms in this order; every one must load on the runtime's glibc.
PLATFORMS = ("manylinux_2_28_x86_64", "manylinux2014_x86_64")
RUNTIME_GLIBC = (2, 34)  # Amazon Linux 2023
PYTHON_VERSION = "3.13"
SOURCE_PACKAGES = ("api", "lambdas")
# The one piece of the containers the training_events Lambda imports (standard library
# only): the avatar archive layout (api/adapters/aws/mme.py) and the Triton config it packs.
# The model code itself is in the serving image, never in the Lambda or the archive.
AVATAR_SERVING_FILES = (
    "sagemaker_containers/avatar/__init__.py",
    "sagemaker_containers/avatar/archive.py",
    "sagemaker_containers/avatar/triton_model/config.pbtxt",
)
# The comparison report page (static files; no Python): the API serves it at
# /playground/comparison/ on every profile.
COMPARISON_PAGE_DIR = "sagemaker_containers/comparison/report_page"

# Top-level import names that must never reach the Lambda: heavy ML stacks (cold
# starts, 250 MB limit), the SageMaker SDK, the CDK toolchain, and test tooling.
FORBIDDEN_TOP_LEVEL = frozenset(
    {
        "torch",
        "torchvision",
        "transformers",
        "diffusers",
        "peft",
        "accelerate",
        "numpy",
        "sagemaker",
        "aws_cdk",
        "constructs",
        "jsii",
        "cdk_nag",
        "cfnlint",
        "pytest",
        "_pytest",
        "moto",
        "tritonclient",
        "pytriton",
    }
)
# Console scripts with this machine's shebang; never run on Lambda.
PRUNE_TOP_LEVEL = ("bin",)

# botocore's service models, but only the services a client is built for: the adapters'
# (``api/adapters/aws/clients.py``, checked by a test), STS for credentials, and X-Ray,
# whose SDK builds a client for sampling rules. The rest of ``botocore/data`` (≈ 450
# services, 28 MiB) is never read. We ship our own botocore rather than use the runtime's:
# the version we test with (Bedrock Converse, current service models) is the one that runs.
BOTOCORE_SERVICES = frozenset(
    {
        "s3",
        "dynamodb",
        "sqs",
        "kms",
        "sagemaker",
        "sagemaker-runtime",
        "bedrock-runtime",
        "rekognition",
        "comprehend",
        "sts",
        "xray",
    }
)
# Files inside each kept service model that no client reads (documentation examples).
BOTOCORE_UNREAD = ("examples-1.json",)
# Swagger UI: only what ``/docs`` serves (``api/routers/docs.py``); source maps, the ES
# bundles and the standalone preset are 7.5 MiB nobody downloads.
SWAGGER_UI_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")
# Pillow's optional codecs the API never uses (it accepts JPEG, PNG and WebP only and
# draws no text): AVIF, FreeType fonts and Tk, with the shared libraries only they load.
# Pillow imports each of these lazily and treats a missing one as "not supported".
PILLOW_UNUSED = (
    "PIL/_avif.*.so",
    "PIL/_imagingft.*.so",
    "PIL/_imagingtk.*.so",
    "pillow.libs/libavif-*",
    "pillow.libs/libfreetype-*",
    "pillow.libs/libharfbuzz-*",
    "pillow.libs/libbrotlicommon-*",
    "pillow.libs/libbrotlidec-*",
    "pillow.libs/libpng16-*",
)


class AssetError(RuntimeError):
    """The asset could not be built, or holds something it must not."""


@dataclass(frozen=True, slots=True)
class AssetReport:
    path: Path
    size_bytes: int
    files: int
    reinstalled: bool


def runtime_requirements(pyproject: Path = REPO_ROOT / "pyproject.toml") -> list[str]:
    """The core ``[project] dependencies``: what the Lambda imports, nothing optional."""
    with pyproject.open("rb") as handle:
        project = tomllib.load(handle)["project"]
    return [str(requirement) for requirement in project["dependencies"]]


def _stamp(requirements: list[str]) -> dict[str, object]:
    digest = hashlib.sha256("\n".join(sorted(requirements)).encode()).hexdigest()
    return {
        "platforms": list(PLATFORMS),
        "python_version": PYTHON_VERSION,
        "requirements": sorted(requirements),
        "requirements_sha256": digest,
        # A change to what is pruned rebuilds the dependencies from the wheels.
        "pruned": sorted(
            [*BOTOCORE_SERVICES, *BOTOCORE_UNREAD, *SWAGGER_UI_FILES, *PILLOW_UNUSED]
        ),
    }


def _install_dependencies(requirements: list[str], target: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-compile",
        "--disable-pip-version-check",
        "--no-user",
        *(arg for platform in PLATFORMS for arg in ("--platform", platform)),
        "--only-binary=:all:",
        "--python-version",
        PYTHON_VERSION,
        "--implementation",
        "cp",
        "--target",
        str(target),
        *requirements,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise AssetError(f"pip install failed ({completed.returncode}):\n{completed.stderr}")


def copy_sources(target: Path) -> None:
    """Our code in the asset: the Lambda packages and the avatar serving files."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo")
    shutil.rmtree(target / "sagemaker_containers", ignore_errors=True)
    for name in (*SOURCE_PACKAGES, *AVATAR_SERVING_FILES, COMPARISON_PAGE_DIR):
        source, destination = REPO_ROOT / name, target / name
        if source.is_file():
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
            continue
        if destination.exists():
            shutil.rmtree(destination)
        shutil.copytree(source, destination, ignore=ignore)


def _prune(target: Path) -> None:
    """Remove what the Lambda never reads (see the lists above)."""
    for name in PRUNE_TOP_LEVEL:
        shutil.rmtree(target / name, ignore_errors=True)
    data = target / "botocore" / "data"
    for service in data.iterdir():
        if service.is_dir() and service.name not in BOTOCORE_SERVICES:
            shutil.rmtree(service)
    for name in BOTOCORE_UNREAD:
        for path in data.glob(f"*/*/{name}"):
            path.unlink()
    for package in target.glob("swagger_ui_bundle/vendor/swagger-ui-*"):
        for path in package.iterdir():
            if path.name not in SWAGGER_UI_FILES:
                path.unlink()
    for pattern in PILLOW_UNUSED:
        for path in target.glob(pattern):
            path.unlink()


def top_level_names(target: Path) -> set[str]:
    """Importable top-level names in ``target`` (packages, modules, extension modules)."""
    names: set[str] = set()
    for entry in target.iterdir():
        if entry.name.endswith((".dist-info", ".data")) or entry.name.startswith("."):
            continue
        names.add(entry.name.split(".", 1)[0] if entry.is_file() else entry.name)
    return names


def check_contents(target: Path) -> None:
    """Raise ``AssetError`` if a forbidden package made it into the asset."""
    found = sorted(top_level_names(target) & FORBIDDEN_TOP_LEVEL)
    if found:
        raise AssetError(f"forbidden packages in the Lambda asset {target}: {found}")
    for package in SOURCE_PACKAGES:
        if not (target / package / "__init__.py").is_file():
            raise AssetError(f"{package}/ is missing from the Lambda asset {target}")
    missing = [name for name in AVATAR_SERVING_FILES if not (target / name).exists()]
    if missing:
        raise AssetError(f"avatar serving files missing from the Lambda asset: {missing}")
    if not (target / COMPARISON_PAGE_DIR / "report.html").is_file():
        raise AssetError("the comparison report page is missing from the Lambda asset")
    services = {p.name for p in (target / "botocore" / "data").iterdir() if p.is_dir()}
    if services != BOTOCORE_SERVICES:
        raise AssetError(f"botocore service models in the asset: {sorted(services)}")


def tree_size(target: Path) -> tuple[int, int]:
    """Unzipped size in bytes and file count of ``target``."""
    files = [path for path in target.rglob("*") if path.is_file() and not path.is_symlink()]
    return sum(path.stat().st_size for path in files), len(files)


def build(out: Path = DEFAULT_OUT, *, force: bool = False) -> AssetReport:
    """Build (or refresh) the asset at ``out`` and check it; return its size."""
    requirements = runtime_requirements()
    stamp = _stamp(requirements)
    stamp_path = out / STAMP_NAME
    current = json.loads(stamp_path.read_text()) if stamp_path.is_file() else None
    reinstall = force or current != stamp
    if reinstall:
        # Install beside the old asset and swap, so a failed build leaves no half asset.
        staging = out.with_name(out.name + ".staging")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        _install_dependencies(requirements, staging)
        _prune(staging)
        (staging / STAMP_NAME).write_text(json.dumps(stamp, indent=2) + "\n")
        shutil.rmtree(out, ignore_errors=True)
        staging.rename(out)
    copy_sources(out)
    check_contents(out)
    size, files = tree_size(out)
    return AssetReport(path=out, size_bytes=size, files=files, reinstalled=reinstall)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--force", action="store_true", help="reinstall the dependencies")
    args = parser.parse_args(argv)
    try:
        report = build(args.out.resolve(), force=args.force)
    except AssetError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    action = "built" if report.reinstalled else "refreshed sources in"
    print(f"{action} {report.path}: {report.files} files, {report.size_bytes / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
