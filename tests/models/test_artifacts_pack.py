"""``model_artifacts`` packing (SageMaker's model.tar.gz, the avatar MME archive) and pull."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from model_artifacts import pack, pull
from model_artifacts.cli import main as cli

REPO = Path(__file__).resolve().parents[2]


def _model_dir(root: Path) -> Path:
    (root / "unet").mkdir(parents=True)
    (root / "model_index.json").write_text("{}")
    (root / "unet" / "diffusion_pytorch_model.safetensors").write_bytes(b"\0" * 1024)
    (root / ".cache").mkdir()
    (root / ".cache" / "junk").write_text("left out")
    return root


def _members(archive: Path) -> dict[str, tarfile.TarInfo]:
    with tarfile.open(archive) as packed:
        return {member.name: member for member in packed.getmembers()}


@pytest.mark.parametrize("container", ["clipseg", "inpainting", "blip2"])
def test_model_tar_is_the_model_files_at_the_root_and_nothing_else(
    tmp_path: Path, container: str
) -> None:
    out = pack.pack_model(_model_dir(tmp_path / "model"), container, tmp_path / "model.tar.gz")
    members = _members(out)

    # Weights and configs only: the serving code is in the inference image
    assert set(members) == {"model_index.json", "unet/diffusion_pytorch_model.safetensors"}
    assert all(m.isfile() and not m.name.startswith(("/", "./")) for m in members.values())
    # Reproducible: the same inputs give the same bytes (and the same S3 ETag)
    again = pack.pack_model(tmp_path / "model", container, tmp_path / "again.tar.gz")
    assert again.read_bytes() == out.read_bytes()


def test_the_handler_module_is_what_sagemaker_program_names() -> None:
    assert pack.handler_module("clipseg") == "sagemaker_containers.clipseg.code.inference"
    with pytest.raises(pack.PackError, match="no handler"):
        pack.handler_module("nope")


def test_a_model_dir_with_its_own_code_folder_is_refused(tmp_path: Path) -> None:
    model = _model_dir(tmp_path / "model")
    (model / "code").mkdir()
    (model / "code" / "inference.py").write_text("")
    with pytest.raises(pack.PackError, match="has a code/ folder"):
        pack.pack_model(model, "clipseg", tmp_path / "m.tar.gz")
    with pytest.raises(pack.PackError, match="no handler"):
        pack.pack_model(_model_dir(tmp_path / "other"), "nope", tmp_path / "m.tar.gz")


def _adapter(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "pytorch_lora_weights.safetensors").write_bytes(b"lora" * 100)
    (root / "avatar.json").write_text(json.dumps({"resolution": 512}))
    return root


def test_avatar_archive_is_one_triton_model(tmp_path: Path) -> None:
    from sagemaker_containers.avatar.archive import triton_model_name

    adapter = _adapter(tmp_path / "adapter")
    out = pack.pack_avatar(adapter, tmp_path / "prefix", tenant="t1", avatar_id="a1")

    assert out == tmp_path / "prefix" / "t1" / "a1.tar.gz"
    name = triton_model_name("t1", "a1")
    members = set(_members(out))
    # Weights and config only: the model code is the serving image's (a shim imports it)
    assert members == {f"{name}/config.pbtxt", f"{name}/1/model.py",
                       f"{name}/1/adapter/avatar.json",
                       f"{name}/1/adapter/pytorch_lora_weights.safetensors"}
    assert all(member.startswith(f"{name}/") for member in members)

    # A training job's model.tar.gz packs to the same archive as its extracted folder
    training_output = tmp_path / "model.tar.gz"
    training_output.write_bytes(pack.adapter_archive(adapter))
    from_tar = pack.pack_avatar(training_output, tmp_path / "other", tenant="t1", avatar_id="a1")
    assert set(_members(from_tar)) == members


@pytest.mark.parametrize(("tenant", "avatar", "message"), [
    ("t1/x", "a1", "one path segment"), ("t1", "..", "one path segment"),
])
def test_avatar_ids_cannot_climb_out_of_the_prefix(
    tmp_path: Path, tenant: str, avatar: str, message: str
) -> None:
    with pytest.raises(pack.PackError, match=message):
        pack.pack_avatar(_adapter(tmp_path / "adapter"), tmp_path, tenant=tenant,
                         avatar_id=avatar)


def test_an_adapter_dir_needs_its_weights(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(pack.PackError, match="pytorch_lora_weights"):
        pack.pack_avatar(tmp_path / "empty", tmp_path, tenant="t1", avatar_id="a1")


def test_cli_pack_and_pack_avatar(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = _model_dir(tmp_path / "model")
    assert cli(["pack", str(model), "--container", "clipseg",
                "--out", str(tmp_path / "m.tar.gz")]) == 0
    assert cli(["pack-avatar", str(_adapter(tmp_path / "adapter")), "--tenant", "t1",
                "--avatar-id", "a1", "--out-root", str(tmp_path / "prefix")]) == 0
    printed = capsys.readouterr().out
    assert "m.tar.gz" in printed and "t1/a1.tar.gz" in printed
    assert (tmp_path / "prefix" / "t1" / "a1.tar.gz").is_file()


class FakeHub:
    """Records what ``pull`` asks the Hub for; writes one file per allowed pattern."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def resolve(self, repo_id: str, revision: str | None) -> str:
        self.calls.append(("resolve", (repo_id, revision)))
        return "0123abcd" * 5

    def download(self, repo_id: str, commit: str, local_dir: Path,
                 allow_patterns: list[str]) -> None:
        self.calls.append(("download", (repo_id, commit, allow_patterns)))
        local_dir.mkdir(parents=True, exist_ok=True)
        (local_dir / "model_index.json").write_text("{}")


def test_pull_pins_one_commit_and_records_it(tmp_path: Path) -> None:
    hub = FakeHub()
    target = pull.pull("avatar", tmp_path, revision="main", hub=hub)

    assert target == tmp_path / "avatar"
    (kind, (repo, revision)), (_, (_, commit, patterns)) = hub.calls
    assert (kind, repo, revision) == ("resolve", "stabilityai/stable-diffusion-2-1-base", "main")
    assert commit == "0123abcd" * 5
    assert "*/diffusion_pytorch_model.safetensors" in patterns
    assert not any(p.endswith((".ckpt", ".bin")) for p in patterns)
    recorded = json.loads((target / pull.MARKER).read_text())
    assert (recorded["repo_id"], recorded["commit"]) == (repo, commit)


def test_pull_never_overwrites_a_tiny_model_or_guesses_a_repo(tmp_path: Path) -> None:
    (tmp_path / "blip2").mkdir()
    (tmp_path / "blip2" / "VITRINE_TINY.json").write_text('{"tiny": true}')
    with pytest.raises(ValueError, match="tiny test model"):
        pull.pull("blip2", tmp_path, hub=FakeHub())
    with pytest.raises(ValueError, match="unknown model"):
        pull.pull("mystery", tmp_path, hub=FakeHub())
    # Nor lands real weights inside a tiny model's folder (the garment model's place).
    (tmp_path / "inpainting").mkdir()
    (tmp_path / "inpainting" / "VITRINE_TINY.json").write_text('{"tiny": true}')
    with pytest.raises(ValueError, match="tiny test model"):
        pull.pull("inpainting/garment", tmp_path, hub=FakeHub())
