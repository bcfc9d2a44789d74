"""The model images, built from this repository at ``cdk deploy`` (or pre-built ones).

Three images, each a Dockerfile in ``sagemaker_containers/docker/`` with
``sagemaker_containers/`` as its build context (code + the one lock):

- ``inference``: SageMaker PyTorch inference DLC + the lock; segmentation, attributes, try-on.
- ``triton``: SageMaker Triton DLC + the lock + the avatar base pipeline; the avatar MME.
- ``training``: SageMaker PyTorch training DLC + the lock; avatar and BLIP-2 training jobs.

Each becomes a ``DockerImageAsset`` (linux/amd64): synth only stages the context (no
Docker, offline); ``cdk deploy`` builds and pushes it to the bootstrap ECR repository.
A role whose ``vitrine:<role>:imageUri`` is set uses that pre-built image instead, and
no asset is made for a family no role builds.

The Triton image also takes a named build context, ``avatar-base``: the diffusers base
pipeline the avatars are trained on (``vitrine:avatar:baseModelDir``). Baking it in lets
the MME keep network isolation. Its path is not part of the asset hash (it differs per
machine); the base's pinned commit (``VITRINE_PULL.json`` from ``model_artifacts pull``)
is, as a build argument, so pulling another base rebuilds the image.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aws_cdk import Annotations
from aws_cdk import aws_ecr_assets as ecr_assets
from constructs import Construct

from cdk.grants import ecr_repository_arn, resolve_image

if TYPE_CHECKING:
    from collections.abc import Mapping

REPO_ROOT = Path(__file__).resolve().parents[2]
CONTEXT_DIR = REPO_ROOT / "sagemaker_containers"
DOCKERFILES = {
    "inference": "docker/inference.Dockerfile",
    "triton": "docker/triton.Dockerfile",
    "training": "docker/training.Dockerfile",
}
# Which image each SageMaker role runs.
ROLE_FAMILY = {
    "segmentation": "inference",
    "attributes": "inference",
    "tryon": "inference",
    "generation": "inference",
    "avatar": "triton",
    "training": "training",
}
AVATAR_BASE_CONTEXT = "avatar-base"  # the named build context triton.Dockerfile copies
PULL_RECORD = "VITRINE_PULL.json"  # written by `model_artifacts pull`
TINY_MARKER = "VITRINE_TINY.json"
# Never staged or hashed (also in sagemaker_containers/.dockerignore).
EXCLUDE = [
    "**/__pycache__",
    "**/*.pyc",
    "**/.pytest_cache",
    "**/.mypy_cache",
    "**/.ruff_cache",
    "**/*.tar.gz",
]


@dataclass(frozen=True, slots=True)
class ModelImage:
    uri: str  # what the model's Image (or the training job's TrainingImage) names
    repository_arn: str  # what the SageMaker role may pull from
    asset: ecr_assets.DockerImageAsset | None  # None: a pre-built image from cdk.json


class ModelImages(Construct):
    """One image per family, built from the repository unless ``overrides`` names one.

    Parameters
    ----------
    overrides
        Role (``segmentation``, ..., ``training``) → pre-built image URI, ``""`` to build
        (``{region}`` in a URI stands for the stack's region).
    avatar_base_dir
        The base pipeline baked into the Triton image (absolute, or relative to the repo).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        overrides: Mapping[str, str],
        avatar_base_dir: str,
    ) -> None:
        super().__init__(scope, construct_id)
        unknown = set(overrides) - set(ROLE_FAMILY)
        if unknown:
            raise ValueError(f"no image family for roles {sorted(unknown)}")
        self._base_dir = Path(avatar_base_dir)
        if not self._base_dir.is_absolute():
            self._base_dir = REPO_ROOT / self._base_dir
        self._images: dict[str, ModelImage] = {}
        built = sorted({ROLE_FAMILY[role] for role, uri in overrides.items() if not uri})
        assets = {family: self._asset(family) for family in built}
        for role, uri in overrides.items():
            if uri:
                resolved = resolve_image(self, uri)
                self._images[role] = ModelImage(
                    uri=resolved, repository_arn=ecr_repository_arn(uri), asset=None
                )
            else:
                asset = assets[ROLE_FAMILY[role]]
                self._images[role] = ModelImage(
                    uri=asset.image_uri,
                    repository_arn=asset.repository.repository_arn,
                    asset=asset,
                )

    def image(self, role: str) -> ModelImage:
        return self._images[role]

    @property
    def repository_arns(self) -> list[str]:
        return [image.repository_arn for image in self._images.values()]

    def _asset(self, family: str) -> ecr_assets.DockerImageAsset:
        extra: dict[str, object] = {}
        if family == "triton":
            extra = {
                "build_contexts": {AVATAR_BASE_CONTEXT: str(self._base_dir)},
                "build_args": {"AVATAR_BASE_COMMIT": self._base_commit()},
                # The path differs per machine; the base's commit (a build arg) is hashed.
                "invalidation": ecr_assets.DockerImageAssetInvalidationOptions(
                    build_contexts=False
                ),
            }
        return ecr_assets.DockerImageAsset(
            self,
            family.capitalize(),
            directory=str(CONTEXT_DIR),
            file=DOCKERFILES[family],
            platform=ecr_assets.Platform.LINUX_AMD64,
            exclude=EXCLUDE,
            display_name=f"vitrine-{family}",
            **extra,  # type: ignore[arg-type]
        )

    def _base_commit(self) -> str:
        """The pinned commit of the avatar base; warns (synth goes on) when deploy would fail."""
        record = self._base_dir / PULL_RECORD
        if (self._base_dir / TINY_MARKER).is_file():
            Annotations.of(self).add_warning_v2(
                "vitrine:avatar-base-tiny",
                f"{self._base_dir} holds a tiny test model: the Triton image would serve "
                "noise. Pull the real base (python -m model_artifacts pull avatar).",
            )
            return "tiny"
        if not record.is_file():
            Annotations.of(self).add_warning_v2(
                "vitrine:avatar-base-missing",
                f"no pulled avatar base at {self._base_dir} ({PULL_RECORD} missing): "
                "cdk deploy cannot build the Triton image until it is there "
                "(python -m model_artifacts pull avatar), or set vitrine:avatar:imageUri.",
            )
            return "unknown"
        try:
            return str(json.loads(record.read_text())["commit"])
        except (ValueError, KeyError, TypeError):
            return "unknown"
