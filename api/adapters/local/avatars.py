"""Local ``AvatarRegistry``: the served avatar is a directory in the artifacts store.

The multi-model endpoint serves ``{mme_prefix}{tenant}/{avatar}.tar.gz``; locally that
key is a directory holding the adapter files (the avatar handler reads one in place of
an archive), so nothing is extracted or cached elsewhere and deleting the key deletes
the model.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from api.adapters.local.fs import validate_key
from api.domain.errors import ModelInvocationFailed
from api.ports import RegisteredAvatar
from sagemaker_containers.avatar import archive

if TYPE_CHECKING:
    from api.adapters.local.fs import FilesystemObjectStore


class LocalAvatarRegistry:
    """Copies a training output's adapter files under the MME prefix.

    Parameters
    ----------
    artifacts
        The artifacts store: training outputs, and the served models under ``mme_prefix``.
    mme_prefix
        ``VITRINE_MME_PREFIX``.
    """

    def __init__(self, *, artifacts: FilesystemObjectStore, mme_prefix: str) -> None:
        self._artifacts = artifacts
        self._mme_prefix = mme_prefix

    def served_key(self, tenant: str, avatar_id: str) -> str:
        return self._mme_prefix + archive.target_model(tenant, avatar_id)

    def register(self, *, tenant: str, avatar_id: str, artifacts: str) -> RegisteredAvatar:
        """Publish the files under the ``artifacts`` prefix; raise when none is an adapter."""
        validate_key(artifacts, prefix=True)
        source = (self._artifacts.root / artifacts).resolve()
        files = []
        if source.is_dir() and source.is_relative_to(self._artifacts.root):
            # Only the output's own files (not its subfolders); skip store sidecars.
            files = sorted(
                p for p in source.iterdir() if p.is_file() and not p.name.startswith(".")
            )
        if not any(p.suffix == ".safetensors" for p in files):
            raise ModelInvocationFailed("avatar training produced no adapter weights")
        served = self.served_key(tenant, avatar_id) + "/"
        metadata = {}
        for path in files:
            key = artifacts + path.name
            data = self._artifacts.get(key)
            self._artifacts.put(
                served + path.name, data, content_type=self._artifacts.content_type(key)
            )
            if path.name == "avatar.json":
                loaded = json.loads(data)
                metadata = loaded if isinstance(loaded, dict) else {}
        target = archive.target_model(tenant, avatar_id)
        return RegisteredAvatar(target_model=target, metadata=metadata)

    def unregister(self, *, tenant: str, avatar_id: str) -> None:
        self._artifacts.delete_prefix(self.served_key(tenant, avatar_id))
