"""``model_artifacts tiny``: markers, skipping, atomic builds, the CLI, the tokenizers."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

import model_artifacts.tiny as tiny
from model_artifacts.cli import SUBCOMMANDS, build_parser, main
from model_artifacts.tiny.tokenizers import CLIP_MAX_LENGTH, clip_tokenizer, t5_tokenizer

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def fake_builders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace the real builders with instant ones that record their calls."""
    calls: list[str] = []

    def fake(name: str):  # type: ignore[no-untyped-def]
        def build(out_dir: Path) -> Path:
            calls.append(name)
            out_dir.mkdir(parents=True)
            (out_dir / "config.json").write_text("{}")
            if name == "blip2" and "fail" in out_dir.parent.name:
                raise RuntimeError("disk full")
            return out_dir
        return build

    monkeypatch.setattr(tiny, "BUILDERS", {name: fake(name) for name in tiny.BUILDERS})
    return calls


def test_build_all_writes_markers(tmp_path: Path, fake_builders: list[str]) -> None:
    built = tiny.build_all(tmp_path, progress=False)
    assert {"clipseg", "inpainting", "blip2"} <= set(fake_builders)
    assert fake_builders == list(tiny.BUILDERS)
    assert built == {name: tmp_path / name for name in tiny.BUILDERS}
    marker = json.loads((tmp_path / "clipseg" / tiny.MARKER).read_text())
    assert (marker["tiny"], marker["weights"], marker["model"]) == (True, "random", "clipseg")
    assert all(tiny.is_tiny(path) for path in built.values())


def test_complete_models_are_skipped_unless_forced(tmp_path: Path,
                                                   fake_builders: list[str]) -> None:
    tiny.build_all(tmp_path, progress=False)
    tiny.build_all(tmp_path, progress=False)
    assert fake_builders == list(tiny.BUILDERS)
    (tmp_path / "clipseg" / "stale.bin").write_text("old")
    tiny.build_all(tmp_path, force=True, names=["clipseg"], progress=False)
    assert fake_builders[len(tiny.BUILDERS):] == ["clipseg"]
    assert not (tmp_path / "clipseg" / "stale.bin").exists()


def test_models_built_by_older_builders_are_rebuilt(
    tmp_path: Path, fake_builders: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upgrade that adds a part to a tiny model (inpainting's garment model) must not
    keep serving the old folder: the marker's recipe no longer matches the builders."""
    tiny.build_all(tmp_path, progress=False)
    monkeypatch.setattr(tiny, "recipe", lambda: "changed-builders")
    tiny.build_all(tmp_path, names=["inpainting"], progress=False)
    assert fake_builders[len(tiny.BUILDERS):] == ["inpainting"]
    marker = json.loads((tmp_path / "inpainting" / tiny.MARKER).read_text())
    assert marker["recipe"] == "changed-builders"
    tiny.build_all(tmp_path, names=["inpainting"], progress=False)
    assert fake_builders[len(tiny.BUILDERS):] == ["inpainting"]  # current: kept


def test_folders_of_other_models_are_left_alone(tmp_path: Path, fake_builders: list[str]) -> None:
    real = tmp_path / "blip2"
    real.mkdir()
    (real / "model.safetensors").write_text("real weights")
    tiny.build_all(tmp_path, force=True, progress=False)
    assert "blip2" not in fake_builders
    assert (real / "model.safetensors").read_text() == "real weights"
    assert not tiny.is_tiny(real)


def test_a_failed_build_leaves_nothing_behind(tmp_path: Path, fake_builders: list[str]) -> None:
    out = tmp_path / "fail"
    with pytest.raises(RuntimeError, match="disk full"):
        tiny.build_all(out, progress=False)
    assert tiny.is_tiny(out / "clipseg")
    assert not (out / "blip2").exists()
    # The next run cleans the scratch folder and builds what is missing.
    fake_builders.clear()
    with pytest.raises(RuntimeError):
        tiny.build_all(out, progress=False)
    assert fake_builders == ["blip2"]


def test_unknown_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown tiny models: sd3"):
        tiny.build_all(tmp_path, names=["clipseg", "sd3"], progress=False)


@pytest.mark.parametrize(
    "content", [None, "not json", '{"tiny": false}', '["tiny"]', '{"tiny": "yes"}']
)
def test_is_tiny_needs_a_true_marker(tmp_path: Path, content: str | None) -> None:
    if content is not None:
        (tmp_path / tiny.MARKER).write_text(content)
    assert not tiny.is_tiny(tmp_path)
    assert not tiny.is_tiny(tmp_path / "missing")


def test_cli_tiny(tmp_path: Path, fake_builders: list[str],
                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tiny", "--out", str(tmp_path), "--only", "inpainting", "blip2"]) == 0
    assert fake_builders == ["inpainting", "blip2"]
    out = capsys.readouterr().out
    assert f"inpainting  {tmp_path / 'inpainting'}" in out and "done in" in out


def test_cli_defaults_to_the_models_dir_env(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.setenv("VITRINE_MODELS_DIR", str(tmp_path / "m"))
    assert build_parser().parse_args(["tiny"]).out == tmp_path / "m"


def test_cli_refuses_unknown_commands_and_models() -> None:
    assert "tiny" in [command.name for command in SUBCOMMANDS]
    for argv in ([], ["nope"], ["tiny", "--only", "sd3"]):
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 2


def test_clip_tokenizer_files_and_words(tmp_path: Path) -> None:
    tokenizer = clip_tokenizer(tmp_path)
    assert (tmp_path / "merges.txt").read_text().startswith("#version")
    assert tokenizer.model_max_length == CLIP_MAX_LENGTH
    ids = tokenizer("the red dress")["input_ids"]
    # Known words are one token each, between the start and end tokens.
    assert len(ids) == 5
    assert (ids[0], ids[-1]) == (tokenizer.bos_token_id, tokenizer.eos_token_id)
    # Unknown text falls back to bytes, never to the unknown token.
    odd = tokenizer("Zebra-print Übercoat")["input_ids"][1:-1]
    assert tokenizer.unk_token_id not in odd
    assert tokenizer.decode(odd) == "zebra - print übercoat"


def test_t5_tokenizer_words_and_fallback() -> None:
    tokenizer = t5_tokenizer()
    assert len(tokenizer("What is the fabric?")["input_ids"]) == 6  # 4 words, "?", </s>
    ids = tokenizer("Zq 42")["input_ids"]
    assert tokenizer.unk_token_id not in ids and ids[-1] == tokenizer.eos_token_id
    assert tokenizer.decode(ids, skip_special_tokens=True) == "Zq 42"
