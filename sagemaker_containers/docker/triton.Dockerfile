# The avatar multi-model endpoint: SageMaker's Triton Inference Server DLC with every
# Python dependency baked in, the serving code, and the shared avatar base pipeline.
#
# Build context: sagemaker_containers/ (code + lock), plus a named context "avatar-base"
# holding the diffusers base pipeline the avatars were trained on (the folder that is also
# synced to S3 for the training jobs):
#   docker build --platform linux/amd64 -f docker/triton.Dockerfile \
#     --build-context avatar-base=../avatar-base -t vitrine-triton sagemaker_containers
#
# Triton 25.04 (CUDA 12.9 user space; Ubuntu 24.04) runs its Python-backend stub with the
# system Python 3.12 (/usr/bin/python3). The lock is installed into exactly that Python,
# so config.pbtxt needs no EXECUTION_ENV_PATH (that is for conda-packed environments
# the stub does not have). Nothing is installed when the container starts.
ARG DLC_REGION=us-east-1
ARG BASE_TAG=25.04-py3
FROM 763104351884.dkr.ecr.${DLC_REGION}.amazonaws.com/sagemaker-tritonserver:${BASE_TAG}

ARG TORCH_VERSION=2.13.0
ARG TORCH_CUDA=cu128
# The base's pinned Hub commit (VITRINE_PULL.json); CDK passes it so a new base rebuilds.
ARG AVATAR_BASE_COMMIT=unknown
LABEL org.opencontainers.image.title="vitrine-triton" \
      com.vitrine.avatar-base-commit="${AVATAR_BASE_COMMIT}"

# Ubuntu 24.04 marks the system Python as externally managed; this image is its only user.
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_BREAK_SYSTEM_PACKAGES=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    DIFFUSERS_OFFLINE=1

# torch first, the CUDA build of the lock's pin (2.13.0+cu128 satisfies torch==2.13.0).
RUN python3 -m pip install --no-cache-dir "torch==${TORCH_VERSION}" \
        --index-url "https://download.pytorch.org/whl/${TORCH_CUDA}"

COPY requirements.lock /opt/vitrine/requirements.lock
RUN python3 -m pip install --no-cache-dir -r /opt/vitrine/requirements.lock

# The base the avatars' LoRA adapters apply to: in the image, so the endpoint keeps
# network isolation (no S3 access from inside the container) and a new instance loads
# its first avatar without a multi-GB download. base_cache.py finds it complete here.
# "avatar-base" is a named build context (--build-context / CDK buildContexts), not a stage.
# hadolint ignore=DL3022
COPY --from=avatar-base . /opt/vitrine/avatar-base/

COPY . /opt/vitrine/sagemaker_containers/

# The Triton model each archive's model.py shim imports lives here, not in the archives.
ENV PYTHONPATH=/opt/vitrine \
    VITRINE_AVATAR_BASE_DIR=/opt/vitrine/avatar-base

# Fail the build, not the endpoint: the stub's Python imports the model's dependencies
# and the code (triton_python_backend_utils exists only inside the stub, so not the model).
RUN python3 -c "import torch, diffusers, transformers, peft; \
from sagemaker_containers.avatar import archive, base_cache, core; \
assert base_cache.is_complete(__import__('pathlib').Path('/opt/vitrine/avatar-base')), 'no base'"
