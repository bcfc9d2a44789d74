"""A SageMaker training job's ``model.tar.gz``, read in memory (the completion step runs in
a Lambda; the archives are adapters, metrics or a comparison's report: MBs, not GBs)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


def archive_files(archive: bytes, keep: Callable[[str], bool]) -> dict[str, bytes]:
    """The archive's regular files whose path (without a leading ``./``) ``keep`` accepts,
    by that path; ``keep`` is also what stops a path out of the caller's prefix."""
    import tarfile  # off the API's import path: only completion steps read archives

    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        for member in tar.getmembers():
            path = member.name.removeprefix("./")
            if not member.isfile() or not keep(path):
                continue
            source = tar.extractfile(member)
            if source is not None:
                found[path] = source.read()
    return found
