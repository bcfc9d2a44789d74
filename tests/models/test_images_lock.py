"""One lock: the images and ``make test`` install the same pinned dependencies.

``sagemaker_containers/requirements.lock`` is generated from ``requirements.in`` by
``make lock`` (``uv pip compile --universal``). These checks fail when:

- a Dockerfile in ``sagemaker_containers/docker/`` installs anything but that lock (torch,
  the CUDA build of the lock's pin, excepted), or pins a version the lock does not;
- the lock no longer satisfies ``requirements.in`` (edited without ``make lock``), or
  carries torch's CUDA runtime wheels (they differ between the CPU and CUDA builds);
- the lock does not resolve for the Pythons it serves (3.11 here, 3.12 in the images);
- this environment is not the lock (``make .venv/.installed`` installs it).
"""

from __future__ import annotations

import importlib.metadata
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

if TYPE_CHECKING:
    from packaging.markers import Marker

CONTAINERS = Path(__file__).resolve().parents[2] / "sagemaker_containers"
LOCK = CONTAINERS / "requirements.lock"
DOCKERFILES = sorted((CONTAINERS / "docker").glob("*.Dockerfile"))
# Installed before the lock, from the CUDA index: the only package a Dockerfile names.
BUILD_VARIANT_PACKAGES = {"torch"}
# torch's CUDA runtime wheels, pinned by torch's own metadata; absent from the CPU build.
CUDA_RUNTIME = re.compile(r"^(nvidia-.*|cuda-.*|triton)$")
# The Pythons the lock serves: dev/CI, and the images' (DLC and Triton) Python.
PYTHONS = ("3.11", "3.12")


@dataclass(frozen=True, slots=True)
class Pin:
    name: str
    version: str
    marker: Marker | None


def lock_pins() -> list[Pin]:
    pins = []
    for line in LOCK.read_text().splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        requirement = Requirement(line)
        (specifier,) = requirement.specifier  # exactly one "==" per line
        assert specifier.operator == "==", line
        pins.append(Pin(canonicalize_name(requirement.name), specifier.version,
                        requirement.marker))
    return pins


def pins_for(python: str) -> dict[str, str]:
    environment = {"python_version": python, "python_full_version": f"{python}.0",
                   "sys_platform": "linux", "platform_system": "Linux",
                   "platform_machine": "x86_64", "os_name": "posix",
                   "implementation_name": "cpython", "platform_python_implementation": "CPython"}
    chosen: dict[str, str] = {}
    for pin in lock_pins():
        if pin.marker is None or pin.marker.evaluate(environment):
            assert pin.name not in chosen, f"{pin.name} pinned twice for Python {python}"
            chosen[pin.name] = pin.version
    return chosen


# --- the Dockerfiles -----------------------------------------------------------------


@dataclass
class Dockerfile:
    path: Path
    args: dict[str, str] = field(default_factory=dict)
    copies: list[tuple[str, str]] = field(default_factory=list)
    runs: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, path: Path) -> Dockerfile:
        parsed = cls(path)
        logical = re.sub(r"\\\n", " ", path.read_text())
        for raw in logical.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            instruction, _, rest = line.partition(" ")
            instruction = instruction.upper()
            if instruction == "ARG" and "=" in rest:
                name, _, value = rest.strip().partition("=")
                parsed.args[name] = value.strip().strip('"')
            elif instruction == "COPY" and not rest.startswith("--from"):
                *sources, dest = shlex.split(rest)
                parsed.copies += [(source, dest) for source in sources]
            elif instruction == "RUN":
                parsed.runs.append(rest)
        return parsed

    def expand(self, text: str) -> str:
        return re.sub(r"\$\{?(\w+)\}?", lambda m: self.args.get(m[1], m[0]), text)

    def pip_installs(self) -> list[list[str]]:
        """The arguments of every ``pip install`` in a ``RUN``, variables expanded."""
        installs = []
        for run in self.runs:
            lexer = shlex.shlex(self.expand(run), posix=True, punctuation_chars=True)
            lexer.whitespace_split = True
            command: list[str] = []
            for word in [*lexer, ";"]:
                if word not in ("&&", "||", ";", "|"):
                    command.append(word)
                    continue
                if "pip" in command and "install" in command[command.index("pip"):]:
                    installs.append(command[command.index("install") + 1:])
                command = []
        return installs


def split_install(arguments: list[str]) -> tuple[list[str], list[str]]:
    """(requirement files, package specs) of one ``pip install``."""
    files, packages, takes_value = [], [], False
    for index, word in enumerate(arguments):
        if takes_value:
            takes_value = False
            continue
        if word in ("-r", "--requirement"):
            files.append(arguments[index + 1])
            takes_value = True
        elif word in ("-c", "--constraint", "-i", "--index-url", "--extra-index-url",
                      "-f", "--find-links"):
            takes_value = True
        elif not word.startswith("-"):
            packages.append(word)
    return files, packages


@pytest.fixture(params=DOCKERFILES, ids=[path.name for path in DOCKERFILES])
def dockerfile(request: pytest.FixtureRequest) -> Dockerfile:
    return Dockerfile.parse(request.param)


def test_the_inference_image_is_defined_here() -> None:
    assert CONTAINERS / "docker" / "inference.Dockerfile" in DOCKERFILES


def test_each_image_installs_the_lock_and_nothing_else(dockerfile: Dockerfile) -> None:
    lock_destinations = {dest for source, dest in dockerfile.copies
                         if source in ("requirements.lock", "./requirements.lock")}
    assert lock_destinations, f"{dockerfile.path.name} does not COPY requirements.lock"
    installed_files, pins = [], pins_for("3.12")
    for arguments in dockerfile.pip_installs():
        files, packages = split_install(arguments)
        installed_files += files
        for spec in packages:
            requirement = Requirement(spec)
            name = canonicalize_name(requirement.name)
            assert name in BUILD_VARIANT_PACKAGES, (
                f"{dockerfile.path.name} installs {spec} outside the lock; add it to "
                "requirements.in and run `make lock`"
            )
            assert str(requirement.specifier) == f"=={pins[name]}", (
                f"{dockerfile.path.name}: {spec}, but the lock pins {name}=={pins[name]}"
            )
    assert installed_files, f"{dockerfile.path.name} never runs pip install -r"
    for path in installed_files:
        assert path in lock_destinations or Path(path).name == "requirements.lock", (
            f"{dockerfile.path.name} installs {path}, not the lock"
        )


def test_version_args_match_the_lock(dockerfile: Dockerfile) -> None:
    pins = pins_for("3.12")
    for name, value in dockerfile.args.items():
        if not name.endswith("_VERSION"):
            continue
        package = canonicalize_name(name.removesuffix("_VERSION"))
        assert package in pins, f"{dockerfile.path.name}: ARG {name} names no locked package"
        assert value == pins[package], (
            f"{dockerfile.path.name}: ARG {name}={value}, "
            f"but the lock pins {package}=={pins[package]}"
        )


def test_the_toolkit_starts_from_the_image() -> None:
    text = (CONTAINERS / "docker" / "inference.Dockerfile").read_text()
    assert 'ENTRYPOINT ["serve"]' in text
    assert "PYTHONPATH=/opt/vitrine" in text
    assert "COPY . /opt/vitrine/sagemaker_containers/" in text


# --- the lock ------------------------------------------------------------------------


def test_the_lock_satisfies_requirements_in() -> None:
    for python in PYTHONS:
        pins = pins_for(python)
        for line in (CONTAINERS / "requirements.in").read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            requirement = Requirement(line)
            name = canonicalize_name(requirement.name)
            assert name in pins, f"{name} is in requirements.in but not locked: make lock"
            assert requirement.specifier.contains(pins[name], prereleases=True), (
                f"lock pins {name}=={pins[name]} outside {requirement.specifier}: make lock"
            )


def test_the_lock_leaves_torchs_cuda_runtime_to_torch() -> None:
    names = {pin.name for pin in lock_pins()}
    assert not sorted(name for name in names if CUDA_RUNTIME.match(name))
    assert "torch" in names


def test_the_toolkit_is_locked_without_a_second_copy_of_sagemaker_inference() -> None:
    # sagemaker-pytorch-inference vendors its own sagemaker_inference package.
    names = {pin.name for pin in lock_pins()}
    assert "sagemaker-pytorch-inference" in names
    assert "sagemaker-inference" not in names


def test_the_sagemaker_python_sdk_stays_out_of_the_serving_lock() -> None:
    # The SDK is the ops extra's (ML engineers' CLI, .venv/ops); the images serve without it.
    names = {pin.name for pin in lock_pins()}
    assert "sagemaker-pytorch-inference" in names  # the names are read
    assert not names & {"sagemaker", "sagemaker-core", "sagemaker-train", "sagemaker-serve",
                        "sagemaker-mlops"}


def test_this_environment_is_the_lock() -> None:
    environment_python = ".".join(map(str, __import__("sys").version_info[:2]))
    mismatched = {}
    for name, version in pins_for(environment_python).items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            mismatched[name] = (version, None)
            continue
        if Version(installed).public != Version(version).public:  # 2.13.0+cpu is 2.13.0
            mismatched[name] = (version, installed)
    assert not mismatched, f"locked vs installed: {mismatched}; run make .venv/.installed"


def test_the_toolkits_entry_point_imports_under_the_lock() -> None:
    # `serve` (sagemaker_pytorch_serving_container.serving) imports pkg_resources, which
    # setuptools 82 removed: requirements.in holds setuptools below it.
    import warnings

    with warnings.catch_warnings():
        # pkg_resources warns about itself and about the toolkit's absolute resource paths.
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        serving = importlib.import_module("sagemaker_pytorch_serving_container.serving")
    assert callable(serving.main)


def test_the_models_environment_configures_torchserve(monkeypatch: pytest.MonkeyPatch) -> None:
    # What `serve` writes to TorchServe's config from a SageMaker Model's environment
    # (serving-decisions: one worker per model; a longer timeout on the async endpoint).
    import warnings

    monkeypatch.setenv("SAGEMAKER_MODEL_SERVER_WORKERS", "1")
    monkeypatch.setenv("SAGEMAKER_MODEL_SERVER_TIMEOUT", "900")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        torchserve = importlib.import_module("sagemaker_pytorch_serving_container.torchserve")
        properties = torchserve._generate_ts_config_properties(torchserve.DEFAULT_HANDLER_SERVICE)
    assert "default_workers_per_model=1\n" in properties
    assert "default_response_timeout=900\n" in properties
    assert "default_service_handler=sagemaker_pytorch_serving_container.handler_service:handle" \
        in properties
