"""Filesystem ``ObjectStore``: the local stand-in for an S3 bucket.

Objects live at ``root/<key>``; each object's content type sits beside it in a hidden
``.<name>.content-type`` file (keys never contain dot-leading segments, so the two
cannot collide). Writes go to a temp file in the same directory and are renamed into
place, so a reader never sees half an object. URLs are signed with ``UrlSigner`` and
served by the local-only ``/v1/files/{store}/{key}`` routes.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from api.domain.errors import Conflict, DependencyUnavailable, NotFound, UploadRejected
from api.ports import UploadTarget

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from api.adapters.local.signing import UrlSigner

# One key segment: no separators, no dot-leading names (".", "..", hidden sidecars).
# fullmatch, never ``$``: ``$`` also matches before a trailing newline.
_SEGMENT = re.compile(r"[A-Za-z0-9_@=+-][A-Za-z0-9._@=+-]{0,254}")
_MAX_KEY = 1024
_META_SUFFIX = ".content-type"
FILES_ROUTE = "/v1/files"


def validate_key(key: str, *, prefix: bool = False) -> str:
    """Return ``key`` if every segment is safe; raise ``NotFound`` otherwise.

    A prefix may end with ``/``. Traversal (``..``), absolute paths, backslashes and
    empty segments are all rejected, so a key always names a path under the root.
    """
    body = key[:-1] if prefix and key.endswith("/") else key
    if not body or len(key) > _MAX_KEY or not all(_SEGMENT.fullmatch(s) for s in body.split("/")):
        raise NotFound(f"invalid object key {key[:80]!r}")
    return key


class FilesystemObjectStore:
    """An ``ObjectStore`` over a directory.

    Parameters
    ----------
    name:
        The store's name in URLs (``uploads``, ``results``, ``artifacts``).
    root:
        Directory holding the objects; created if missing.
    signer:
        Signs the GET and PUT URLs this store hands out.
    base_url:
        Public base URL of the API (``VITRINE_PUBLIC_BASE_URL``).
    """

    def __init__(self, name: str, root: Path, signer: UrlSigner, base_url: str) -> None:
        self.name = name
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self._signer = signer
        self._base_url = base_url.rstrip("/")

    # --- ObjectStore ---
    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(path, data)
            _atomic_write(_meta_path(path), content_type.encode())
        except OSError as exc:
            raise DependencyUnavailable(f"could not write object: {exc.strerror}") from exc

    def put_new(self, key: str, data: bytes, *, content_type: str) -> None:
        """Store ``data`` only if ``key`` holds nothing yet (an upload URL's one use).

        Of concurrent writers exactly one wins, and nobody ever sees a mix: the bytes go
        to a temp file that is hard-linked to the key, which fails when the name exists.
        Raises ``Conflict`` for the others.
        """
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = _temp_file(path.parent, data)
        except OSError as exc:
            raise DependencyUnavailable(f"could not write object: {exc.strerror}") from exc
        try:
            # The type first, so a reader of the object finds it; every writer of a signed
            # URL writes the same one (the signature binds it).
            _atomic_write(_meta_path(path), content_type.encode())
            os.link(tmp, path)
        except FileExistsError as exc:
            raise Conflict("this upload URL was used already; announce a new upload") from exc
        except OSError as exc:
            raise DependencyUnavailable(f"could not write object: {exc.strerror}") from exc
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise NotFound("no such object") from exc
        except OSError as exc:
            raise DependencyUnavailable(f"could not read object: {exc.strerror}") from exc

    def exists(self, key: str) -> bool:
        try:
            return self._path(key).is_file()
        except NotFound:
            return False

    def delete(self, key: str) -> int:
        """Remove one object (and its content type); return 1 if it was there."""
        path = self._path(key)
        try:
            path.unlink()
        except FileNotFoundError:
            return 0
        _meta_path(path).unlink(missing_ok=True)
        return 1

    def delete_prefix(self, prefix: str) -> int:
        validate_key(prefix, prefix=True)
        head, _, tail = prefix.rpartition("/")
        base = self.root / head if head else self.root
        if not base.is_dir():
            return 0
        deleted = 0
        for path in sorted(base.rglob("*"), reverse=True):
            rel = path.relative_to(self.root).as_posix()
            if path.is_file() and not path.name.startswith(".") and rel.startswith(prefix):
                path.unlink(missing_ok=True)
                _meta_path(path).unlink(missing_ok=True)
                deleted += 1
            elif path.is_dir() and rel.startswith(prefix.rstrip("/")):
                with contextlib.suppress(OSError):
                    path.rmdir()  # only succeeds once empty
        if prefix.endswith("/") and base != self.root:
            with contextlib.suppress(OSError):
                base.rmdir()
        return deleted

    def keys(self, prefix: str) -> list[str]:
        validate_key(prefix, prefix=True)
        head = prefix.rpartition("/")[0]
        base = self.root / head if head else self.root
        if not base.is_dir():
            return []
        found = (path.relative_to(self.root).as_posix() for path in base.rglob("*")
                 if path.is_file() and not path.name.startswith("."))  # not the sidecars
        return sorted(key for key in found if key.startswith(prefix))

    def url_for_get(self, key: str, *, expires_in: int) -> str:
        validate_key(key)
        query = self._signer.query("GET", self._resource(key), {}, expires_in=expires_in)
        return f"{self._url(key)}?{query}"

    def upload_target(
        self, key: str, *, content_type: str, size_bytes: int, expires_in: int
    ) -> UploadTarget:
        validate_key(key)
        params = {"content_type": content_type, "size": str(size_bytes)}
        signed = self._signer.signed_params(
            "PUT", self._resource(key), params, expires_in=expires_in
        )
        return UploadTarget(
            url=f"{self._url(key)}?{urlencode(signed)}",
            method="PUT",
            headers={"Content-Type": content_type},
            expires_at=datetime.fromtimestamp(int(signed["expires"]), UTC),
        )

    # --- serving signed URLs (local profile only) ---
    def content_type(self, key: str) -> str:
        try:
            return _meta_path(self._path(key)).read_text().strip() or "application/octet-stream"
        except OSError:
            return "application/octet-stream"

    def verify_get(self, key: str, query: Mapping[str, str]) -> None:
        """Raise ``UrlSignatureInvalid`` unless ``query`` signs a GET of ``key``."""
        validate_key(key)
        self._signer.verify("GET", self._resource(key), query)

    def verify_put(
        self, key: str, query: Mapping[str, str], *, content_type: str, size_bytes: int
    ) -> None:
        """Check a PUT against its signature and the content type and size it was signed for.

        Upload URLs are single-use, as each names a new upload's key: once that key holds
        bytes, another PUT to it (a replayed or leaked URL) is a ``Conflict``.
        """
        validate_key(key)
        self._signer.verify("PUT", self._resource(key), query)
        if self.exists(key):
            raise Conflict("this upload URL was used already; announce a new upload")
        if content_type.split(";")[0].strip().lower() != query.get("content_type"):
            raise UploadRejected(
                f"Content-Type must be {query.get('content_type')!r}, as announced"
            )
        if str(size_bytes) != query.get("size"):
            raise UploadRejected(f"body must be exactly {query.get('size')} bytes, as announced")

    # --- helpers ---
    def _resource(self, key: str) -> str:
        return f"{self.name}/{key}"

    def _url(self, key: str) -> str:
        return f"{self._base_url}{FILES_ROUTE}/{self.name}/{quote(key, safe='/')}"

    def _path(self, key: str) -> Path:
        path = (self.root / validate_key(key)).resolve()
        if not path.is_relative_to(self.root):  # defence in depth against symlinks
            raise NotFound("invalid object key")
        return path


def _meta_path(path: Path) -> Path:
    return path.with_name(f".{path.name}{_META_SUFFIX}")


def _temp_file(directory: Path, data: bytes) -> str:
    """A hidden temp file in ``directory`` holding ``data``, flushed to disk; its path."""
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = _temp_file(path.parent, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
