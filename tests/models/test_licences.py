"""Model cards with a non-commercial licence are refused at load unless allowed."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest
from tiny_helpers import load_handler

from sagemaker_containers.common import licences

if TYPE_CHECKING:
    from pathlib import Path


def card(folder: Path, licence: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "README.md").write_text(
        f"---\nlicense: {licence}\ntags:\n- virtual-try-on\n---\n# A model\n", encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("licence", "noncommercial"),
    [
        ("apache-2.0", False),
        ("mit", False),
        ("openrail++", False),
        ("creativeml-openrail-m", False),
        ("cc-by-4.0", False),
        ("cc-by-nc-4.0", True),
        ("cc-by-nc-sa-4.0", True),  # CatVTON, IDM-VTON, OOTDiffusion
        ("cc-by-nc-nd-4.0", True),
        ("deepfloyd-if-license", True),
    ],
)
def test_licence_ids(licence: str, noncommercial: bool) -> None:
    assert licences.is_noncommercial(licence) is noncommercial


def test_card_front_matter_is_read(tmp_path: Path) -> None:
    card(tmp_path, "'CC-BY-NC-SA-4.0'")
    assert licences.declared_licence(tmp_path) == "cc-by-nc-sa-4.0"
    (tmp_path / "README.md").write_text("# no front matter\nlicense: cc-by-nc-4.0\n")
    assert licences.declared_licence(tmp_path) is None
    assert licences.declared_licence(tmp_path / "missing") is None


def test_a_custom_licence_is_read_from_license_name(tmp_path: Path) -> None:
    """SDXL-Turbo's card says ``license: other`` and names the licence in
    ``license_name``: a non-commercial one, which ``license`` alone would let through."""
    tmp_path.joinpath("README.md").write_text(
        "---\npipeline_tag: text-to-image\nlicense: other\nlicense_name: sai-nc-community\n"
        "license_link: https://huggingface.co/stabilityai/sdxl-turbo/blob/main/LICENSE.md\n"
        "---\n# SDXL-Turbo\n", encoding="utf-8",
    )
    assert licences.declared_licence(tmp_path) == "sai-nc-community"
    assert licences.is_noncommercial("sai-nc-community")
    card(tmp_path / "plain", "other")
    assert licences.declared_licence(tmp_path / "plain") == "other"


def test_check_refuses_unless_allowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    card(tmp_path, "cc-by-nc-sa-4.0")
    monkeypatch.delenv("VITRINE_ALLOW_NONCOMMERCIAL_MODELS", raising=False)
    with pytest.raises(licences.NonCommercialModel, match="cc-by-nc-sa-4.0"):
        licences.check(tmp_path)
    monkeypatch.setenv("VITRINE_ALLOW_NONCOMMERCIAL_MODELS", "true")
    assert licences.check(tmp_path) == "cc-by-nc-sa-4.0"


@pytest.mark.slow
def test_the_inpainting_loader_refuses_a_noncommercial_garment_model(
    tiny_models_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given an SDXL try-on checkpoint whose card says CC BY-NC-SA (as the best open try-on
    models do), loading the try-on model fails before any weight is read."""
    model_dir = tmp_path / "inpainting"
    shutil.copytree(tiny_models_dir / "inpainting", model_dir)
    card(model_dir / "garment", "cc-by-nc-sa-4.0")
    monkeypatch.delenv("VITRINE_ALLOW_NONCOMMERCIAL_MODELS", raising=False)
    handler = load_handler("inpainting")
    with pytest.raises(licences.NonCommercialModel):
        handler.model_fn(str(model_dir))
    card(model_dir / "garment", "openrail++")
    assert handler.model_fn(str(model_dir)).garment is not None


@pytest.mark.slow
@pytest.mark.parametrize("model", ["clipseg", "blip2", "avatar"])
def test_every_loader_checks_its_card(model: str, tiny_models_dir: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    model_dir = tmp_path / model
    shutil.copytree(tiny_models_dir / model, model_dir)
    card(model_dir, "cc-by-nc-4.0")
    monkeypatch.delenv("VITRINE_ALLOW_NONCOMMERCIAL_MODELS", raising=False)
    with pytest.raises(licences.NonCommercialModel):
        if model == "avatar":
            from sagemaker_containers.avatar.core import load_base_pipeline

            load_base_pipeline(model_dir, device="cpu")
        else:
            load_handler(model).model_fn(str(model_dir))
