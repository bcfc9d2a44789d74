"""Register a trained avatar on the multi-model endpoint (Triton, GPU).

A SageMaker training job leaves ``model.tar.gz`` holding the adapter (LoRA weights +
``avatar.json``) at its root. The MME serves one Triton model per archive, in the layout
that ``sagemaker_containers.avatar.archive`` owns (config + a shim ``model.py`` that
imports the model code from the serving image + ``1/adapter/``): this adapter repacks
the training output into it, in memory (adapters are tens of MB), and puts it under
``{mme_prefix}{tenant}/{avatar}.tar.gz``, whose part after the prefix is the
``TargetModel``. ``archive`` is standard library only, the one piece of
``sagemaker_containers`` the API imports.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from api.domain import errors as e
from sagemaker_containers.avatar import archive

if TYPE_CHECKING:
    from api.adapters.aws.s3 import S3ObjectStore

log = logging.getLogger(__name__)

TAR_GZ = "application/gzip"
target_model = archive.target_model
triton_model_name = archive.triton_model_name


@dataclass(frozen=True, slots=True)
class RegisteredAvatar:
    target_model: str
    # ``avatar.json`` as train.py wrote it (loss curve, adapter size, seconds), if present.
    metadata: dict[str, Any]


def register_avatar(
    *,
    artifacts: S3ObjectStore,
    mme: S3ObjectStore,
    model_artifacts_uri: str,
    tenant: str,
    avatar_id: str,
) -> RegisteredAvatar:
    """Repack the training output under the MME prefix; return its ``TargetModel``.

    Raises
    ------
    ModelInvocationFailed
        The training output is not a usable adapter archive (unreadable, hostile paths,
        no LoRA weights, too large).
    """
    training_output = artifacts.read_uri(model_artifacts_uri)
    try:
        packed = archive.pack_training_output(training_output, tenant=tenant,
                                              avatar_id=avatar_id)
    except archive.ArchiveError as exc:
        log.warning("training output %s is not a usable avatar: %s", model_artifacts_uri, exc)
        raise e.ModelInvocationFailed(
            "The training output is not a usable avatar adapter"
        ) from exc
    mme.put(packed.target_model, packed.data, content_type=TAR_GZ)
    return RegisteredAvatar(target_model=packed.target_model, metadata=packed.metadata)
