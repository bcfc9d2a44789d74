"""Avatar serving: one base, adapters swapped by avatar id (``core``), and the local handler."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
from avatar_support import RESOLUTION, avatar_base_dir, train_adapter, write_photos
from tiny_helpers import decode_png, load_handler

from sagemaker_containers.avatar import core

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

REQUEST = core.GenerationRequest(prompt="a photo of sks person", steps=2, seed=7)


@pytest.fixture(scope="module")
def avatar_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return avatar_base_dir(tmp_path_factory)


@pytest.fixture(scope="module")
def adapters(avatar_base: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two avatars trained on different subjects with different seeds."""
    root = tmp_path_factory.mktemp("adapters")
    made = {}
    for name, seed in (("alice", 1), ("bob", 2)):
        photos = write_photos(root / f"{name}-photos", 10, seed=seed)
        train_adapter(avatar_base, photos, root / name, "--seed", str(seed))
        made[name] = root / name
    return made


def _pixels(images: list[object]) -> np.ndarray:
    return np.stack([np.asarray(image, dtype=np.int16) for image in images])


def test_adapters_swap_on_one_base(avatar_base: Path, adapters: dict[str, Path]) -> None:
    # Given the process-wide generator for the base
    generator = core.shared_generator(avatar_base)
    loads = core.base_load_count()
    pipeline, unet = generator.pipeline, generator.pipeline.unet

    # When two avatars generate with the same prompt and seed, then the first again
    alice, seed = generator.generate("t1/alice.tar.gz", adapters["alice"], REQUEST)
    bob, _ = generator.generate("t1/bob.tar.gz", adapters["bob"], REQUEST)
    alice_again, _ = generator.generate("t1/alice.tar.gz", adapters["alice"], REQUEST)

    # Then the base was never reloaded: same objects, same load count
    assert core.shared_generator(avatar_base) is generator
    assert generator.pipeline is pipeline and generator.pipeline.unet is unet
    assert core.base_load_count() == loads
    # Each adapter shapes the output; switching back reproduces the first avatar exactly
    assert seed == 7 and alice[0].size == (RESOLUTION, RESOLUTION)
    assert np.abs(_pixels(alice) - _pixels(bob)).mean() > 1.0
    assert np.array_equal(_pixels(alice), _pixels(alice_again))
    assert set(generator.attached) == {core.adapter_name("t1/alice.tar.gz"),
                                       core.adapter_name("t1/bob.tar.gz")}


def test_the_adapter_cache_is_bounded(avatar_base: Path, adapters: dict[str, Path]) -> None:
    # Given a generator that keeps one adapter attached
    generator = core.AvatarGenerator(core.load_base_pipeline(avatar_base), max_adapters=1)
    generator.attach("alice", adapters["alice"])
    generator.attach("bob", adapters["bob"])

    # Then only the most recent adapter is left on the UNet
    peft_adapters = set(generator.pipeline.get_list_adapters().get("unet", []))
    assert generator.attached == [core.adapter_name("bob")]
    assert peft_adapters == {core.adapter_name("bob")}
    assert generator.evict("bob") and not generator.evict("bob")
    assert not generator.pipeline.get_list_adapters().get("unet")


def test_requests_are_validated() -> None:
    parsed = core.parse_request({"prompt": " a photo ", "num_images": 2, "guidance_scale": 3})
    assert (parsed.prompt, parsed.num_images, parsed.guidance_scale) == ("a photo", 2, 3.0)
    for bad in ({}, {"prompt": ""}, {"prompt": "x", "num_images": 9}, {"prompt": "x", "steps": 0},
                {"prompt": "x", "seed": -1}, {"prompt": "x", "guidance_scale": "high"},
                {"prompt": "x" * 10_000}):
        with pytest.raises(ValueError):
            core.parse_request(bad)


def _tar(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.fixture
def mme_prefix(tmp_path: Path, adapters: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A local stand-in for the MME prefix: one avatar in the Triton layout (as
    ``pack-avatar`` writes it), one as a bare training output."""
    from model_artifacts.pack import adapter_archive, pack_avatar

    root = tmp_path / "avatars"
    pack_avatar(adapters["alice"], root, tenant="t1", avatar_id="alice")
    (root / "t2").mkdir()
    (root / "t2" / "bob.tar.gz").write_bytes(adapter_archive(adapters["bob"]))
    monkeypatch.setenv("VITRINE_AVATAR_ADAPTERS_DIR", str(root))
    return root


def test_handler_serves_target_models(avatar_base: Path, mme_prefix: Path) -> None:
    handler = load_handler("avatar")
    model = handler.model_fn(str(avatar_base))
    assert model.generator is core.shared_generator(avatar_base)  # the same cached base

    def run(target: str, **fields: object) -> dict[str, object]:
        body = json.dumps({"prompt": "a photo of sks person", "steps": 2, **fields})
        data = handler.input_fn(body, "application/json")
        output: dict[str, object] = json.loads(
            handler.output_fn(handler.predict_fn(data, model, targeting(handler, target)),
                              "application/json"))
        return output

    alice = run("t1/alice.tar.gz", seed=3, num_images=2)
    bob = run("t2/bob.tar.gz", seed=3)
    assert alice["seed"] == 3 and isinstance(alice["images"], list) and len(alice["images"]) == 2
    assert isinstance(bob["images"], list)
    first, other = decode_png(alice["images"][0]), decode_png(bob["images"][0])
    assert first.size == (RESOLUTION, RESOLUTION)
    assert np.abs(_pixels([first]) - _pixels([other])).mean() > 1.0

    # Bad targets are the caller's 400, never a path outside the prefix
    data = handler.input_fn(json.dumps({"prompt": "x", "steps": 1}), "application/json")
    for target in (None, "../t1/alice.tar.gz", "t1/../../etc", "/abs.tar.gz", "t1/nobody.tar.gz"):
        with pytest.raises(ValueError):
            handler.predict_fn(data, model, targeting(handler, target))

    # A deleted avatar is gone, extraction cache included
    (mme_prefix / "t2" / "bob.tar.gz").unlink()
    with pytest.raises(ValueError, match="unknown target model"):
        handler.predict_fn(data, model, targeting(handler, "t2/bob.tar.gz"))
    extracted = mme_prefix / ".extracted"
    assert len(list(extracted.iterdir())) == 1  # only alice's extraction is left


def test_archives_cannot_escape_the_cache(avatar_base: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "avatars"
    (root / "t1").mkdir(parents=True)
    (root / "t1" / "evil.tar.gz").write_bytes(_tar({"../../outside.txt": b"x"}))
    monkeypatch.setenv("VITRINE_AVATAR_ADAPTERS_DIR", str(root))
    handler = load_handler("avatar")
    model = handler.model_fn(str(avatar_base))
    data = handler.input_fn(json.dumps({"prompt": "x", "steps": 1}), "application/json")
    with pytest.raises(tarfile.TarError):
        handler.predict_fn(data, model, targeting(handler, "t1/evil.tar.gz"))
    assert not (tmp_path / "outside.txt").exists()


def test_inprocess_runtime_passes_the_target_model(
    avatar_base: Path, mme_prefix: Path, tmp_path: Path
) -> None:
    from api.adapters.local.inprocess import InProcessRuntime
    from api.domain.errors import ModelInputRejected

    models = tmp_path / "models"
    models.mkdir()
    shutil.copytree(avatar_base, models / "avatar")
    runtime = InProcessRuntime(models_dir=models)
    output = runtime.invoke("avatar", {"prompt": "a photo of sks person", "steps": 2, "seed": 5},
                            target_model="t1/alice.tar.gz")
    assert output["seed"] == 5 and decode_png(output["images"][0]).size == (RESOLUTION,) * 2
    with pytest.raises(ModelInputRejected):
        runtime.invoke("avatar", {"prompt": "x"}, target_model="t9/unknown.tar.gz")


def targeting(handler: Any, target: str) -> Any:
    """The request context a multi-model container gets: the TargetModel as a header."""
    return handler.HeaderContext({handler.TARGET_MODEL_HEADER: target})


def test_predict_takes_the_toolkits_context_as_its_third_parameter() -> None:
    # The SageMaker toolkits pass their context object as predict_fn's third argument
    # (sagemaker_inference.transformer: a handler with one more parameter gets it).
    import inspect

    handler = load_handler("avatar")
    assert list(inspect.signature(handler.predict_fn).parameters) == ["data", "model", "context"]
