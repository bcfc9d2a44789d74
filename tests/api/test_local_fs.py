"""Filesystem object store: atomic writes, safe keys, signed URLs."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

import pytest

from api.adapters.local.fs import FilesystemObjectStore
from api.adapters.local.signing import UrlSigner
from api.domain.errors import NotFound, UploadRejected, UrlSignatureInvalid

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def store(tmp_path: Path) -> FilesystemObjectStore:
    return FilesystemObjectStore("results", tmp_path / "results", UrlSigner("s"), "http://h:1/")


def test_put_get_exists_and_content_type(store: FilesystemObjectStore) -> None:
    store.put("t1/jobs/j1/a.png", b"one", content_type="image/png")
    store.put("t1/jobs/j1/a.png", b"two", content_type="image/png")
    assert store.get("t1/jobs/j1/a.png") == b"two"
    assert store.exists("t1/jobs/j1/a.png") and not store.exists("t1/jobs/j1/b.png")
    assert store.content_type("t1/jobs/j1/a.png") == "image/png"
    leftovers = [p.name for p in (store.root / "t1/jobs/j1").iterdir() if p.name.startswith(".tmp")]
    assert leftovers == []
    with pytest.raises(NotFound):
        store.get("t1/jobs/j1/b.png")


@pytest.mark.parametrize(
    "key", ["../escape", "t1/../../etc/passwd", "/abs", "t1//x", "t1/.hidden", "t1\\x", ""]
)
def test_unsafe_keys_are_refused(store: FilesystemObjectStore, key: str) -> None:
    with pytest.raises(NotFound):
        store.put(key, b"x", content_type="text/plain")
    assert not store.exists(key)


def test_delete_prefix_removes_only_that_prefix(store: FilesystemObjectStore) -> None:
    for key in ("t1/jobs/j1/a.png", "t1/jobs/j1/b.png", "t1/jobs/j10/a.png", "t2/jobs/j1/a.png"):
        store.put(key, b"x", content_type="image/png")
    assert store.delete_prefix("t1/jobs/j1/") == 2
    assert not store.exists("t1/jobs/j1/a.png")
    assert store.exists("t1/jobs/j10/a.png") and store.exists("t2/jobs/j1/a.png")
    assert not (store.root / "t1/jobs/j1").exists()


def test_keys_lists_only_that_prefix_without_sidecars(store: FilesystemObjectStore) -> None:
    for key in ("t1/jobs/j1/r/b.json", "t1/jobs/j1/r/a.json", "t1/jobs/j10/r/a.json",
                "t2/jobs/j1/r/a.json"):
        store.put(key, b"{}", content_type="application/json")
    assert store.keys("t1/jobs/j1/r/") == ["t1/jobs/j1/r/a.json", "t1/jobs/j1/r/b.json"]
    assert store.keys("t1/jobs/j2/") == []


def test_get_url_is_signed_for_that_key(store: FilesystemObjectStore) -> None:
    url = urlsplit(store.url_for_get("t1/a.png", expires_in=60))
    assert url.path == "/v1/files/results/t1/a.png"
    query = dict(parse_qsl(url.query))
    store.verify_get("t1/a.png", query)
    with pytest.raises(UrlSignatureInvalid):
        store.verify_get("t2/a.png", query)


def test_upload_target_binds_content_type_and_size(store: FilesystemObjectStore) -> None:
    target = store.upload_target(
        "t1/uploads/u", content_type="image/png", size_bytes=10, expires_in=60
    )
    assert target.method == "PUT" and target.headers == {"Content-Type": "image/png"}
    query = dict(parse_qsl(urlsplit(target.url).query))
    store.verify_put("t1/uploads/u", query, content_type="image/png", size_bytes=10)
    with pytest.raises(UploadRejected):
        store.verify_put("t1/uploads/u", query, content_type="image/jpeg", size_bytes=10)
    with pytest.raises(UploadRejected):
        store.verify_put("t1/uploads/u", query, content_type="image/png", size_bytes=11)
