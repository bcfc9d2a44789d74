"""The avatar archive layout (``sagemaker_containers/avatar/archive.py``): names, the
reproducible Triton layout with a code-free shim, safe reading of training outputs."""

from __future__ import annotations

import ast
import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from sagemaker_containers.avatar import archive

WEIGHTS = b"\x00lora-weights\xff" * 64
REPO_ROOT = Path(__file__).resolve().parents[2]


def tar_gz(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as packed:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            packed.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def members(data: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as packed:
        return {m.name: packed.extractfile(m).read()  # type: ignore[union-attr]
                for m in packed.getmembers() if m.isfile()}


def test_target_model_and_triton_name() -> None:
    assert archive.target_model("t1", "a1") == "t1/a1.tar.gz"
    names = {archive.triton_model_name(t, a) for t in ("t1", "t2") for a in ("a1", "a2")}
    assert len(names) == 4
    assert all(n.startswith("avatar-") and "/" not in n and n.isascii() for n in names)
    for tenant, avatar in (("t/1", "a"), ("t", ".."), ("", "a"), ("t", "a\\b")):
        with pytest.raises(archive.ArchiveError, match="one path segment"):
            archive.target_model(tenant, avatar)


def test_a_training_output_becomes_one_triton_model_with_weights_only() -> None:
    output = tar_gz({"pytorch_lora_weights.safetensors": WEIGHTS,
                     "./avatar.json": b'{"token": "sks", "resolution": 512}'})

    packed = archive.pack_training_output(output, tenant="t1", avatar_id="a1")

    name = archive.triton_model_name("t1", "a1")
    assert packed.target_model == "t1/a1.tar.gz" and packed.model_name == name
    assert packed.metadata == {"token": "sks", "resolution": 512}
    files = members(packed.data)
    assert set(files) == {f"{name}/config.pbtxt", f"{name}/1/model.py",
                          f"{name}/1/adapter/pytorch_lora_weights.safetensors",
                          f"{name}/1/adapter/avatar.json"}
    assert files[f"{name}/1/adapter/pytorch_lora_weights.safetensors"] == WEIGHTS
    assert files[f"{name}/config.pbtxt"] == archive.CONFIG_SOURCE.read_bytes()
    # Reproducible: same input, same bytes (and the same S3 ETag)
    again = archive.pack_training_output(output, tenant="t1", avatar_id="a1")
    assert again.data == packed.data


def test_the_shim_only_imports_the_model_class_from_the_image() -> None:
    tree = ast.parse(archive.SHIM)
    imports = [node for node in tree.body if isinstance(node, ast.ImportFrom | ast.Import)]
    assert [(i.module, [a.name for a in i.names]) for i in imports] == [
        (archive.TRITON_MODEL_MODULE, ["TritonPythonModel"])]
    assert not [node for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)]
    # ...and that module exists in the package the images copy to /opt/vitrine
    module = REPO_ROOT / (archive.TRITON_MODEL_MODULE.replace(".", "/") + ".py")
    assert "class TritonPythonModel" in module.read_text()


def test_the_shipped_config_names_no_execution_environment() -> None:
    lines = archive.triton_config().decode().splitlines()
    config = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    # The dependencies live in the image's Python (the one the stub runs): no conda pack.
    assert 'backend: "python"' in config and "EXECUTION_ENV_PATH" not in config
    assert not [line for line in lines if line.startswith("name:")]  # the directory's name


@pytest.mark.parametrize("evil", ["../../etc/cron.d/x", "/etc/passwd", "a/../../b"])
def test_hostile_paths_refuse_the_whole_archive(evil: str) -> None:
    output = tar_gz({"pytorch_lora_weights.safetensors": WEIGHTS, evil: b"boom"})
    with pytest.raises(archive.ArchiveError, match="unsafe path"):
        archive.read_training_output(output)


def test_links_and_devices_are_never_packed() -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as packed:
        info = tarfile.TarInfo("pytorch_lora_weights.safetensors")
        info.size = len(WEIGHTS)
        packed.addfile(info, io.BytesIO(WEIGHTS))
        link = tarfile.TarInfo("escape")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/shadow"
        packed.addfile(link)
    assert set(archive.read_training_output(buffer.getvalue())) == {
        "pytorch_lora_weights.safetensors"}


@pytest.mark.parametrize(("data", "message"), [
    (b"not a tar", "not a readable archive"),
    (tar_gz({}), "no adapter files"),
    (tar_gz({"avatar.json": b"{}"}), "no adapter files"),
])
def test_unusable_training_outputs(data: bytes, message: str) -> None:
    with pytest.raises(archive.ArchiveError, match=message):
        archive.read_training_output(data)


def test_metadata_is_a_dict_or_empty() -> None:
    assert archive.metadata({"avatar.json": b"[1]"}) == {}
    assert archive.metadata({"avatar.json": b"{oops"}) == {}
    assert archive.metadata({}) == {}


def test_adapter_dir_in_either_layout(tmp_path: Path) -> None:
    flat = tmp_path / "flat"
    flat.mkdir()
    (flat / archive.ADAPTER_WEIGHTS).write_bytes(WEIGHTS)
    assert archive.adapter_dir_in(flat) == flat
    packed = archive.pack({archive.ADAPTER_WEIGHTS: WEIGHTS}, "avatar-x")
    with tarfile.open(fileobj=io.BytesIO(packed)) as source:
        source.extractall(tmp_path / "mme", filter="data")
    assert archive.adapter_dir_in(tmp_path / "mme") == tmp_path / "mme/avatar-x/1/adapter"
    assert archive.adapter_dir_in(tmp_path) is None


def test_archive_is_standard_library_only() -> None:
    """The training-events Lambda imports it: nothing beyond the standard library."""
    tree = ast.parse(Path(archive.__file__).read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
    assert imported - {"__future__"} <= sys.stdlib_module_names
    # ...and importing it (with its package) loads no third-party module.
    probe = ("import sys; import sagemaker_containers.avatar.archive; "
             "print(sorted(m for m in ('torch', 'numpy', 'PIL', 'diffusers', 'boto3') "
             "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True,
                            text=True, check=True)
    assert json.loads(result.stdout.replace("'", '"')) == []
