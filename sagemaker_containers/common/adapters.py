"""Tenant adapters by key: where their files are found, and which stay loaded (an LRU).

A request names an adapter by key (the API resolves a tenant's model id to its training
job's artifacts prefix). ``AdapterFiles.find`` returns the local folder holding that
adapter's files: under the adapters root (local: the artifacts store itself), else, when
an ``s3://bucket/prefix`` is configured, fetched from S3 once into the root. Two shapes
are fetched: a training job's ``model.tar.gz`` (a key ending ``.tar.gz``; only the named
files are unpacked) or loose files under a key prefix (each named file by ``GetObject``:
the endpoints' network allows GetObject on the adapter prefixes and nothing else, no
listing). ``Lru`` is the bookkeeping the model-specific loaders share: which keys are
loaded, with the file stamp they were loaded from, least recently used first.
"""

from __future__ import annotations

import hashlib
import os
import re
import tarfile
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

DEFAULT_MAX_ADAPTERS = 8
_KEY = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._/-]{0,511}$")


class AdapterNotFound(LookupError):
    """The key names no adapter (or an invalid one)."""


def check_key(key: str) -> str:
    if not _KEY.match(key) or ".." in key.split("/"):
        raise AdapterNotFound("an adapter key must be a relative key without '..'")
    return key


def adapter_name(key: str, prefix: str = "adapter") -> str:
    """A module-safe name for any key (keys hold '/' and '.', which module names cannot)."""
    return f"{prefix}_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None


class AdapterFiles:
    """Adapter folders by key under ``root``, fetched from ``uri`` (``s3://…``) when missing."""

    def __init__(self, root: Path | None, uri: str | None = None) -> None:
        self.root = root
        self.uri = uri if uri and uri.startswith("s3://") else None

    def find(self, key: str, required: Iterable[str], optional: Iterable[str] = ()) -> Path:
        """The folder holding ``required`` (and any of ``optional``) for ``key``."""
        check_key(key)
        required, optional = tuple(required), tuple(optional)
        if self.root is None:
            raise AdapterNotFound("this endpoint serves no adapters (no adapters folder)")
        root = self.root.resolve()
        folder = (root / key.removesuffix(".tar.gz")).resolve()
        if not folder.is_relative_to(root):
            raise AdapterNotFound("an adapter key must stay inside the adapters folder")
        if self.uri and not all((folder / name).is_file() for name in required):
            self._fetch(key, folder, required + optional)
        missing = [name for name in required if not (folder / name).is_file()]
        if missing:
            raise AdapterNotFound(f"no adapter at {key!r} ({', '.join(missing)} missing)")
        return folder

    def _fetch(self, key: str, into: Path, names: tuple[str, ...]) -> None:
        import tempfile

        import boto3
        from botocore.exceptions import ClientError

        assert self.uri is not None
        bucket, _, prefix = self.uri.removeprefix("s3://").partition("/")
        s3 = boto3.client("s3")
        into.mkdir(parents=True, exist_ok=True)
        object_key = f"{prefix.strip('/')}/{key}".lstrip("/")
        with tempfile.TemporaryDirectory(dir=into.parent) as scratch:
            if key.endswith(".tar.gz"):
                archive = Path(scratch) / "model.tar.gz"
                s3.download_file(bucket, object_key, str(archive))
                unpack(archive, into, names)
                return
            for name in names:
                part = Path(scratch) / name
                try:
                    s3.download_file(bucket, f"{object_key.rstrip('/')}/{name}", str(part))
                except ClientError as error:
                    if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey"}:
                        continue  # absent: find() says which required file is missing
                    raise
                # Renamed into place whole: a crash never leaves half a weights file.
                part.replace(into / name)


def unpack(archive: Path, into: Path, names: Iterable[str]) -> None:
    """Copy the named files out of a training archive (only those names: an archive's
    other members, links or paths are never extracted)."""
    wanted = set(names)
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            name = Path(member.name).name
            if member.isfile() and name in wanted:
                source = tar.extractfile(member)
                if source is not None:
                    (into / name).write_bytes(source.read())


class Lru:
    """Loaded adapter keys, least recently used first, each with the stamp of the files it
    was loaded from (a retrained adapter at the same key has a new stamp)."""

    def __init__(self, max_items: int) -> None:
        if max_items < 1:
            raise ValueError("max_items must be at least 1")
        self.max_items = max_items
        self._items: OrderedDict[str, object] = OrderedDict()

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    @property
    def keys(self) -> list[str]:
        return list(self._items)

    def is_current(self, key: str, stamp: object) -> bool:
        """Whether ``key`` is loaded from files with ``stamp``; marks it most recent."""
        if self._items.get(key) != stamp:
            return False
        self._items.move_to_end(key)
        return True

    def add(self, key: str, stamp: object) -> None:
        self._items[key] = stamp
        self._items.move_to_end(key)

    def remove(self, key: str) -> None:
        self._items.pop(key, None)

    def overflow(self, keep: Iterable[str] = ()) -> list[str]:
        """The least recently used keys beyond the bound, never one of ``keep`` (those the
        current request uses); the caller unloads them and ``remove``\\ s each."""
        kept = set(keep)
        extra = len(self._items) - self.max_items
        return [key for key in self._items if key not in kept][: max(extra, 0)]


def stamp_of(folder: Path, names: Iterable[str]) -> tuple[str, tuple[float, ...]]:
    """The folder and its files' mtimes: what a loaded adapter was loaded from."""
    return str(folder), tuple((folder / name).stat().st_mtime for name in names
                              if (folder / name).is_file())
