"""The Lambda asset, built once for this module with the real script (pip from the
registry, Linux wheels): lean, complete, and importable without torch or numpy."""

from __future__ import annotations

import glob
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from types import ModuleType

REPO_ROOT = Path(__file__).resolve().parents[2]
LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024
HANDLER_MODULES = (
    "api_handler", "worker", "training_events", "async_results", "dead_jobs", "webhook_sender",
    "handoff_timeouts",
)


def _runtime_python(version: str) -> str | None:
    """A local CPython of the Lambda runtime's version (the code is developed on 3.11):
    on PATH, or one pyenv installed. None when this machine has none."""
    candidates = [shutil.which(f"python{version}")]
    pyenv = os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")
    candidates += sorted(glob.glob(pyenv))
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return candidate
    return None


@pytest.fixture(scope="module")
def runtime_python(script: ModuleType) -> str:
    found = _runtime_python(script.PYTHON_VERSION)
    if found is None:  # stated, not hidden: the asset then goes unverified under its runtime
        pytest.skip(f"no local CPython {script.PYTHON_VERSION} to smoke-test the asset with")
    return found


def _script() -> ModuleType:
    path = REPO_ROOT / "scripts" / "build_lambda_asset.py"
    spec = importlib.util.spec_from_file_location("build_lambda_asset", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return _script()


@pytest.fixture(scope="module")
def asset(script: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("asset") / "lambda-asset"
    report = script.build(out)
    assert report.reinstalled
    return out


def test_asset_holds_no_heavy_or_dev_packages(script: ModuleType, asset: Path) -> None:
    names = script.top_level_names(asset)
    assert not names & script.FORBIDDEN_TOP_LEVEL
    assert {"api", "lambdas", "fastapi", "mangum", "pydantic_core", "boto3"} <= names


def test_asset_is_far_below_the_lambda_limit(script: ModuleType, asset: Path) -> None:
    size, files = script.tree_size(asset)
    assert files > 100
    assert size < LAMBDA_UNZIPPED_LIMIT / 2


_MANYLINUX = re.compile(r"^manylinux_(\d+)_(\d+)_x86_64$")
_LEGACY_MANYLINUX = {"manylinux1_x86_64": (2, 5), "manylinux2010_x86_64": (2, 12),
                     "manylinux2014_x86_64": (2, 17)}  # fmt: skip


def test_wheels_target_the_lambda_platform(script: ModuleType, asset: Path) -> None:
    stamp = json.loads((asset / script.STAMP_NAME).read_text())
    assert stamp["platforms"] == ["manylinux_2_28_x86_64", "manylinux2014_x86_64"]
    assert stamp["python_version"] == script.PYTHON_VERSION == "3.13"
    assert stamp["requirements"] == sorted(script.runtime_requirements())
    (extension,) = (asset / "pydantic_core").glob("_pydantic_core.*.so")
    assert "cpython-313-x86_64-linux-gnu" in extension.name


def test_every_wheel_loads_on_the_runtime(script: ModuleType, asset: Path) -> None:
    """Each installed wheel's tags (``*.dist-info/WHEEL``): CPython 3.13 (or abi3 / pure
    Python), x86_64 Linux at a glibc the runtime has (AL2023: 2.34); and every extension
    module is built for cpython-313."""
    checked = 0
    for wheel in asset.glob("*.dist-info/WHEEL"):
        tags = [line.split(":", 1)[1].strip() for line in wheel.read_text().splitlines()
                if line.startswith("Tag:")]  # fmt: skip
        assert tags, wheel
        ok = False
        for tag in tags:
            python, abi, platform = tag.split("-")
            if platform == "any":
                ok = ok or python.startswith("py3") or python == "cp313"
                continue
            match = _MANYLINUX.match(platform)
            glibc = (int(match[1]), int(match[2])) if match else _LEGACY_MANYLINUX.get(platform)
            assert glibc is not None, (wheel.parent.name, tag)
            assert glibc <= script.RUNTIME_GLIBC, (wheel.parent.name, tag)
            assert python == "cp313" or abi == "abi3", (wheel.parent.name, tag)
            ok = True
        assert ok, (wheel.parent.name, tags)
        checked += 1
    assert checked > 10
    for extension in asset.rglob("*.so"):
        if ".cpython-" in extension.name:
            assert ".cpython-313-x86_64-linux-gnu." in extension.name, extension


def test_rebuild_refreshes_sources_only(script: ModuleType, asset: Path) -> None:
    report = script.build(asset)
    assert not report.reinstalled
    assert (asset / "lambdas" / "worker.py").read_bytes() == (
        REPO_ROOT / "lambdas" / "worker.py"
    ).read_bytes()


def test_handlers_import_from_the_asset_alone(asset: Path, runtime_python: str) -> None:
    """Only the asset and the standard library on sys.path, as on Lambda, under the
    runtime's Python version (3.13; the code is developed and unit-tested on 3.11)."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        + "; ".join(f"import lambdas.{name}" for name in HANDLER_MODULES)
        + "; heavy = [m for m in ('torch', 'numpy', 'sagemaker', 'transformers') "
        "if m in sys.modules]; print(heavy)"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "AWS_DEFAULT_REGION": "us-east-1",
        "VITRINE_PROFILE": "aws",
        "VITRINE_WEBHOOK_SECRET": "test-webhook-secret-0123456789abcdef",
        "VITRINE_UPLOADS_BUCKET": "uploads",
        "VITRINE_RESULTS_BUCKET": "results",
        "VITRINE_MODELS_BUCKET": "models",
        "VITRINE_JOBS_TABLE": "jobs",
        "VITRINE_JOBS_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/jobs",
        "VITRINE_WEBHOOK_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/webhooks",
        "POWERTOOLS_SERVICE_NAME": "vitrine",
        # /var/task is read-only on Lambda: no bytecode is written into the asset.
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    completed = subprocess.run(
        [runtime_python, "-S", "-c", code, str(asset)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert completed.stdout.strip() == "[]"


@pytest.mark.parametrize("forbidden", ["numpy", "sagemaker"])
def test_check_contents_rejects_a_forbidden_package(script: ModuleType, tmp_path: Path,
                                                    forbidden: str) -> None:
    for package in ("api", "lambdas", forbidden):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    with pytest.raises(script.AssetError, match=forbidden):
        script.check_contents(tmp_path)


def test_the_sagemaker_sdk_stays_in_the_ops_extra(script: ModuleType) -> None:
    """The asset installs the core dependencies only; the SDK is the ops extra's."""
    import tomllib

    from packaging.requirements import Requirement

    core = {Requirement(r).name for r in script.runtime_requirements()}
    with (REPO_ROOT / "pyproject.toml").open("rb") as handle:
        extras = tomllib.load(handle)["project"]["optional-dependencies"]
    ops = {Requirement(r).name for r in extras["ops"]}
    assert "sagemaker-core" in ops
    assert not {name for name in core if name.startswith("sagemaker")}


# The issue-9 budget: well inside Lambda's 250 MB, and small enough to upload and unpack fast.
ASSET_BUDGET = 40 * 1024 * 1024


def test_asset_fits_its_budget(script: ModuleType, asset: Path) -> None:
    size, _files = script.tree_size(asset)
    assert size <= ASSET_BUDGET, f"{size / 2**20:.1f} MiB"


def test_every_client_the_adapters_build_has_its_service_model(script: ModuleType) -> None:
    source = (REPO_ROOT / "api" / "adapters" / "aws" / "clients.py").read_text()
    services = set(re.findall(r'\bclient\(\s*"([a-z0-9-]+)"', source))
    assert {"s3", "dynamodb", "bedrock-runtime"} <= services  # the pattern still matches
    assert services <= script.BOTOCORE_SERVICES


def test_docs_page_assets_are_shipped(script: ModuleType, asset: Path) -> None:
    source = (REPO_ROOT / "api" / "routers" / "docs.py").read_text()
    served = set(re.findall(r"docs/static/([\w.-]+)", source))
    assert served and served <= set(script.SWAGGER_UI_FILES)
    (vendor,) = (asset / "swagger_ui_bundle" / "vendor").iterdir()
    assert {path.name for path in vendor.iterdir()} == set(script.SWAGGER_UI_FILES)


def test_the_comparison_report_page_is_shipped(script: ModuleType, asset: Path) -> None:
    """The API serves it (/playground/comparison/) from the asset, as it does locally."""
    source = REPO_ROOT / script.COMPARISON_PAGE_DIR
    shipped = asset / script.COMPARISON_PAGE_DIR
    assert {p.name for p in source.iterdir()} == {p.name for p in shipped.iterdir()}
    assert {"index.html", "report.html", "report.js"} <= {p.name for p in shipped.iterdir()}
    assert not list(shipped.rglob("*.py"))


def test_trimmed_asset_still_builds_clients_and_decodes_images(
    script: ModuleType, asset: Path, runtime_python: str
) -> None:
    """boto3 builds every kept client, and Pillow decodes the accepted formats, from the
    asset alone (the pruned botocore models and Pillow codecs are not needed)."""
    code = f"""
import io, sys
sys.path.insert(0, sys.argv[1])
import boto3
for service in {sorted(script.BOTOCORE_SERVICES)!r}:
    boto3.client(service, region_name="us-east-1")
from PIL import Image
for fmt in ("JPEG", "PNG", "WEBP"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, fmt)
    image = Image.open(io.BytesIO(buffer.getvalue()))
    image.load()
    assert image.format == fmt and image.size == (8, 8), fmt
print("ok")
"""
    env = {"PATH": os.environ.get("PATH", ""), "AWS_ACCESS_KEY_ID": "x",
           "AWS_SECRET_ACCESS_KEY": "x", "PYTHONDONTWRITEBYTECODE": "1"}  # fmt: skip
    completed = subprocess.run(
        [runtime_python, "-S", "-c", code, str(asset)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert completed.stdout.strip() == "ok"
