"""AWS ``AvatarRegistry``: the adapter packed for the multi-model endpoint (``mme.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.adapters.aws.mme import register_avatar, target_model
from api.ports import RegisteredAvatar

if TYPE_CHECKING:
    from api.adapters.aws.s3 import S3ObjectStore


class MmeAvatarRegistry:
    """Registers a training job's output archive as ``{tenant}/{avatar}.tar.gz``.

    Parameters
    ----------
    artifacts
        The models bucket (training outputs are read from there by URI).
    mme
        The same bucket under the multi-model endpoint's prefix.
    """

    def __init__(self, *, artifacts: S3ObjectStore, mme: S3ObjectStore) -> None:
        self._artifacts = artifacts
        self._mme = mme

    def register(self, *, tenant: str, avatar_id: str, artifacts: str) -> RegisteredAvatar:
        registered = register_avatar(
            artifacts=self._artifacts,
            mme=self._mme,
            model_artifacts_uri=artifacts,
            tenant=tenant,
            avatar_id=avatar_id,
        )
        return RegisteredAvatar(target_model=registered.target_model, metadata=registered.metadata)

    def unregister(self, *, tenant: str, avatar_id: str) -> None:
        self._mme.delete_prefix(target_model(tenant, avatar_id))
