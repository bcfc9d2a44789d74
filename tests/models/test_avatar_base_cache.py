"""The MME host's base cache: the SD base fetched from S3 (moto) once per instance."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from moto import mock_aws

from sagemaker_containers.avatar import base_cache, core
from sagemaker_containers.avatar.base_cache import BaseModelUnavailable, ensure_base

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

BUCKET = "vitrine-models-test"
PREFIX = "base-models/avatar/"
URI = f"s3://{BUCKET}/{PREFIX}"
# A fake diffusers layout: nested folders, a couple of binary "weights".
BASE = {
    "model_index.json": b'{"_class_name": "StableDiffusionPipeline"}',
    "unet/config.json": b'{"sample_size": 8}',
    "unet/diffusion_pytorch_model.safetensors": bytes(range(256)) * 64,
    "vae/config.json": b"{}",
    "text_encoder/nested/deeper/weights.bin": b"\x00\x01" * 500,
    "scheduler/scheduler_config.json": b'{"beta_start": 0.00085}',
}


class CountingS3:
    """A moto S3 client that counts (and may slow down) object downloads."""

    def __init__(self, delay: float = 0.0) -> None:
        self.client: Any = boto3.client("s3", region_name="us-east-1")
        self.gets = 0
        self._lock = threading.Lock()
        self._delay = delay
        self.client.meta.events.register("before-call.s3.GetObject", self._count)

    def _count(self, **_: Any) -> None:
        with self._lock:
            self.gets += 1
        time.sleep(self._delay)  # widens the race window for the concurrency test


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        for name, data in BASE.items():
            client.put_object(Bucket=BUCKET, Key=PREFIX + name, Body=data)
        client.put_object(Bucket=BUCKET, Key=PREFIX + "unet/", Body=b"")  # console "folder"
        # A sibling prefix sharing the text prefix, which must not be fetched.
        client.put_object(Bucket=BUCKET, Key="base-models/avatar-old/stale.bin", Body=b"x")
        yield client


def _tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in root.rglob("*") if path.is_file()}


def _expected() -> dict[str, bytes]:
    """The base's files, and the marker naming where they came from."""
    return {**BASE, base_cache.COMPLETE_MARKER: f'{{"source": "{URI}"}}'.encode()}


def test_first_call_downloads_everything_then_never_again(s3: Any, tmp_path: Path) -> None:
    base_dir = tmp_path / "vitrine" / "avatar-base"  # parents do not exist yet
    counting = CountingS3()

    assert ensure_base(base_dir, URI, client=counting.client) == base_dir
    assert _tree(base_dir) == _expected()
    assert counting.gets == len(BASE)
    # Nothing left beside it but the lock file.
    assert sorted(p.name for p in base_dir.parent.iterdir()) == ["avatar-base", "avatar-base.lock"]

    mtimes = {p: p.stat().st_mtime_ns for p in base_dir.rglob("*")}
    assert ensure_base(base_dir, URI, client=counting.client) == base_dir
    assert counting.gets == len(BASE)  # second call: no download at all
    assert {p: p.stat().st_mtime_ns for p in base_dir.rglob("*")} == mtimes


def test_the_environment_configures_it(s3: Any, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    assert base_cache.BASE_DIR_ENV == core.BASE_DIR_ENV  # the same directory core loads
    monkeypatch.setenv(base_cache.BASE_DIR_ENV, str(tmp_path / "base"))
    monkeypatch.setenv(base_cache.BASE_URI_ENV, f"s3://{BUCKET}/base-models/avatar")  # no '/'
    counting = CountingS3()

    assert base_cache.ensure_base_from_environment(client=counting.client) == tmp_path / "base"
    assert _tree(tmp_path / "base") == _expected()


def test_concurrent_loads_download_once(s3: Any, tmp_path: Path) -> None:
    base_dir = tmp_path / "avatar-base"
    counting = CountingS3(delay=0.05)  # the first download takes ~0.3 s
    start = threading.Barrier(4)
    results: list[Path] = []
    errors: list[BaseException] = []

    def load() -> None:
        start.wait()
        try:  # each call opens the lock file itself, as each Triton stub process does
            results.append(ensure_base(base_dir, URI, client=counting.client))
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert results == [base_dir] * 4
    assert counting.gets == len(BASE)  # one download, the others waited and reused it
    assert _tree(base_dir) == _expected()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["avatar-base", "avatar-base.lock"]


@pytest.mark.parametrize("hostile", ["../escape.bin", "unet/../../escape.bin", "/etc/escape"])
def test_keys_escaping_the_directory_are_refused(s3: Any, tmp_path: Path, hostile: str) -> None:
    s3.put_object(Bucket=BUCKET, Key=PREFIX + hostile, Body=b"evil")
    base_dir = tmp_path / "cache" / "avatar-base"
    counting = CountingS3()

    with pytest.raises(BaseModelUnavailable, match="refusing"):
        ensure_base(base_dir, URI, client=counting.client)
    assert counting.gets == 0  # every key is checked before anything is fetched
    assert not base_dir.exists()
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["avatar-base.lock"]


def test_a_base_in_the_image_is_used_without_any_uri(tmp_path: Path) -> None:
    baked = tmp_path / "avatar-base"
    baked.mkdir()
    (baked / "model_index.json").write_text("{}")

    assert ensure_base(baked, None) == baked  # no client, no network, no lock
    assert not (tmp_path / "avatar-base.lock").exists()


def test_an_interrupted_download_is_replaced(s3: Any, tmp_path: Path) -> None:
    base_dir = tmp_path / "avatar-base"
    (base_dir / "unet").mkdir(parents=True)  # half a base: no index, no marker
    (base_dir / "unet" / "config.json").write_text("partial")
    scratch = tmp_path / f"avatar-base{base_cache._SCRATCH_PREFIX}killed"
    scratch.mkdir()
    (scratch / "model_index.json").write_text("{}")

    ensure_base(base_dir, URI, client=CountingS3().client)

    assert _tree(base_dir) == _expected()
    assert not scratch.exists()


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        (None, "VITRINE_AVATAR_BASE_MODEL_URI is not set"),
        ("", "VITRINE_AVATAR_BASE_MODEL_URI is not set"),
        ("/opt/ml/base", "not an s3:// URI"),
        ("https://bucket.s3.amazonaws.com/base/", "not an s3:// URI"),
        ("s3:///base/", "names no bucket"),
    ],
)
def test_no_base_and_no_usable_uri_is_a_clear_error(tmp_path: Path, uri: str | None,
                                                    message: str) -> None:
    with pytest.raises(BaseModelUnavailable, match=message):
        ensure_base(tmp_path / "avatar-base", uri)
    assert not (tmp_path / "avatar-base").exists()


def test_unset_base_dir_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(base_cache.BASE_DIR_ENV, raising=False)
    with pytest.raises(BaseModelUnavailable, match=base_cache.BASE_DIR_ENV):
        base_cache.ensure_base_from_environment()


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        (f"s3://{BUCKET}/base-models/nothing-here/", "holds no objects"),
        (f"s3://{BUCKET}/base-models/avatar-old/", "holds no model_index.json"),
        ("s3://no-such-bucket/base/", "cannot list"),
    ],
)
def test_an_unusable_prefix_is_a_clear_error(s3: Any, tmp_path: Path, uri: str,
                                             message: str) -> None:
    with pytest.raises(BaseModelUnavailable, match=message):
        ensure_base(tmp_path / "avatar-base", uri, client=CountingS3().client)
    assert not (tmp_path / "avatar-base").exists()
    assert not list(tmp_path.glob("*.partial-*"))  # the scratch download is cleaned up
