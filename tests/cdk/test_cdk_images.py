"""The model images: Docker image assets built from this repository (linux/amd64), staged
at synth (no Docker, offline), with ``cdk.json`` image URIs as an optional override."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cdk.model_images.construct import CONTEXT_DIR, DOCKERFILES
from cdk.nag import flatten_reference

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from conftest import Synthesized

PREBUILT = "123456789012.dkr.ecr.{region}.amazonaws.com/team/triton:2026-11"


def _docker_assets(synthesized: Synthesized) -> dict[str, dict[str, Any]]:
    manifest = json.loads((synthesized.outdir / "Vitrine-Models.assets.json").read_text())
    images: dict[str, dict[str, Any]] = manifest["dockerImages"]
    return images


def _asset_of(image: object, assets: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """The asset whose tag an ``Image`` / ``TrainingImage`` value names."""
    flat = flatten_reference(image)
    (tag,) = [tag for tag in assets if flat.endswith(f"container-assets-<AWS::AccountId>-"
                                                     f"<AWS::Region>:{tag}")]
    return assets[tag]


def test_three_images_built_from_the_repository_for_linux_amd64(
    synthesized: Synthesized,
) -> None:
    assets = _docker_assets(synthesized)
    by_file = {asset["source"]["dockerFile"]: asset for asset in assets.values()}
    assert set(by_file) == set(DOCKERFILES.values())
    for dockerfile, asset in by_file.items():
        source = asset["source"]
        assert source["platform"] == "linux/amd64"
        # The build context is sagemaker_containers/, staged (copied) at synth, caches out.
        staged = synthesized.outdir / source["directory"]
        assert (staged / dockerfile).read_bytes() == (CONTEXT_DIR / dockerfile).read_bytes()
        assert (staged / "avatar" / "archive.py").is_file()
        assert not [p for p in staged.rglob("*") if "__pycache__" in p.parts
                    or p.suffix == ".pyc" or p.name.endswith(".tar.gz")]


def test_every_sagemaker_model_runs_an_image_asset(synthesized: Synthesized) -> None:
    assets = _docker_assets(synthesized)
    for model in synthesized.resources("Models", "AWS::SageMaker::Model").values():
        container = model["Properties"]["PrimaryContainer"]
        asset = _asset_of(container["Image"], assets)
        family = "triton" if container["Mode"] == "MultiModel" else "inference"
        assert asset["source"]["dockerFile"] == DOCKERFILES[family]


def test_the_triton_image_bakes_in_the_avatar_base(synthesized: Synthesized) -> None:
    (triton,) = [a for a in _docker_assets(synthesized).values()
                 if a["source"]["dockerFile"] == DOCKERFILES["triton"]]
    contexts = triton["source"]["dockerBuildContexts"]
    base_dir = synthesized.context["vitrine:avatar:baseModelDir"]
    assert contexts["avatar-base"].endswith(base_dir)
    assert "AVATAR_BASE_COMMIT" in triton["source"]["dockerBuildArgs"]


def test_training_jobs_get_the_training_image(synthesized: Synthesized) -> None:
    assets = _docker_assets(synthesized)
    functions = synthesized.resources("Api", "AWS::Lambda::Function").values()
    images = {
        json.dumps(f["Properties"]["Environment"]["Variables"]["VITRINE_TRAINING_IMAGE_URI"])
        for f in functions
        if "VITRINE_TRAINING_IMAGE_URI" in f["Properties"]["Environment"]["Variables"]
    }
    assert images
    for image in images:
        assert _asset_of(json.loads(image), assets)["source"]["dockerFile"] == (
            DOCKERFILES["training"])


def test_roles_may_pull_only_their_repositories(synthesized: Synthesized) -> None:
    policies = synthesized.resources("Models", "AWS::IAM::Policy").values()
    pulls = [
        statement
        for policy in policies
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if "ecr:BatchGetImage" in statement["Action"]
    ]
    assert len(pulls) == 2  # inference role, training role
    for statement in pulls:
        resources = statement["Resource"]
        resources = resources if isinstance(resources, list) else [resources]
        assert all("container-assets" in flatten_reference(r) for r in resources)


def test_a_prebuilt_image_in_cdk_json_replaces_the_asset(
    synth_template: Callable[[str, Mapping[str, object]], dict[str, Any]],
) -> None:
    template = synth_template("Models", {"vitrine:avatar:imageUri": PREBUILT})
    models = [r for r in template["Resources"].values() if r["Type"] == "AWS::SageMaker::Model"]
    (avatar,) = [m for m in models if m["Properties"]["PrimaryContainer"]["Mode"] == "MultiModel"]
    image = flatten_reference(avatar["Properties"]["PrimaryContainer"]["Image"])
    assert image == PREBUILT.replace("{region}", "<AWS::Region>")
    others = [flatten_reference(m["Properties"]["PrimaryContainer"]["Image"]) for m in models
              if m is not avatar]
    assert all("container-assets" in image for image in others)
    # ...and the inference role may pull from that repository
    granted = json.dumps(template)
    assert "repository/team/triton" in granted
