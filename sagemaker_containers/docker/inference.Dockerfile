# The real-time and asynchronous model endpoints (clipseg, inpainting, blip2, generation):
# one image.
#
#   docker build --platform linux/amd64 -f docker/inference.Dockerfile \
#     -t vitrine-inference sagemaker_containers
#
# Base: the SageMaker PyTorch inference DLC, the newest one still patched for SageMaker
# (TorchServe 0.12 + Java 17, Python 3.12, Ubuntu 22.04). Its serving toolkit,
# sagemaker-pytorch-inference, calls model_fn/input_fn/predict_fn/output_fn and answers a
# BaseInferenceToolkitError with its status (our InvalidInput: 400 + the invalid-input
# envelope) and anything else with 500. Pulling it needs an ECR login to the DLC account:
#   aws ecr get-login-password --region us-east-1 | docker login --username AWS \
#     --password-stdin 763104351884.dkr.ecr.us-east-1.amazonaws.com
#
# Every dependency is baked in from the one lock (the file `make test` installs); nothing
# is installed when a container starts, so endpoints keep network isolation. The code is in
# the image; model.tar.gz holds weights only. Each SageMaker Model names its handler:
#   SAGEMAKER_PROGRAM=sagemaker_containers.<clipseg|inpainting|blip2|generation>.code.inference
ARG DLC_REGION=us-east-1
ARG BASE_TAG=2.6.0-gpu-py312-cu124-ubuntu22.04-sagemaker-v1.84
FROM 763104351884.dkr.ecr.${DLC_REGION}.amazonaws.com/pytorch-inference:${BASE_TAG}

# torch: the CUDA build of the lock's pin (tests/models/test_images_lock.py checks it).
# cu128 runs on the R525+ drivers of SageMaker GPU hosts (CUDA 12 minor-version
# compatibility); PyPI's default torch 2.13 build is CUDA 13 (R580+ drivers).
ARG TORCH_VERSION=2.13.0
ARG TORCH_CUDA=cu128

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    DIFFUSERS_OFFLINE=1 \
    OPT_OUT_TRACKING=true

# The DLC's torchvision/torchaudio/torchtext/torchdata are built for its torch 2.6;
# transformers 5 would probe a broken torchvision. Then torch, then the lock.
RUN python -m pip uninstall -y torchvision torchaudio torchtext torchdata \
    && python -m pip install --no-cache-dir "torch==${TORCH_VERSION}" \
        --index-url "https://download.pytorch.org/whl/${TORCH_CUDA}"

COPY requirements.lock /opt/vitrine/requirements.lock
RUN python -m pip install --no-cache-dir -r /opt/vitrine/requirements.lock

COPY . /opt/vitrine/sagemaker_containers/

# One TorchServe worker per model: the DLC's entry point would start one per vCPU, each
# loading its own copy of the model onto the GPU. A SageMaker Model may override it.
ENV PYTHONPATH=/opt/vitrine \
    SAGEMAKER_MODEL_SERVER_WORKERS=1

# Fail the build, not the endpoint: the toolkit's entry point (it imports pkg_resources),
# the libraries, and every handler import here as they will at start.
RUN python -c "import sagemaker_pytorch_serving_container.serving, torch, transformers, \
diffusers, peft; \
import sagemaker_containers.clipseg.code.inference, \
sagemaker_containers.inpainting.code.inference, \
sagemaker_containers.blip2.code.inference, \
sagemaker_containers.generation.code.inference; \
from sagemaker_containers.common.errors import InvalidInput; \
from sagemaker_inference.errors import BaseInferenceToolkitError; \
assert issubclass(InvalidInput, BaseInferenceToolkitError)" \
    && test ! -e /opt/ml/model/code/requirements.txt

EXPOSE 8080
# The toolkit's own entry point (console script `serve`): writes TorchServe's config from
# the SAGEMAKER_* variables and runs TorchServe on /opt/ml/model. SageMaker's `serve`
# argument is ignored.
ENTRYPOINT ["serve"]
