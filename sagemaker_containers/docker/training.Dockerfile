# Training jobs (avatar DreamBooth-LoRA, BLIP-2 LoRA) and comparison batches (comparison/run.py):
# SageMaker's PyTorch training DLC with every dependency baked in and the code at
# /opt/vitrine/sagemaker_containers.
#
#   docker build --platform linux/amd64 -f docker/training.Dockerfile \
#     -t vitrine-training sagemaker_containers
#
# SageMaker runs `train` (the sagemaker-training toolkit in the DLC). The job's
# hyperparameters name the entry point, as the SageMaker SDK does:
#   sagemaker_submit_directory=/opt/vitrine/sagemaker_containers  (copied to /opt/ml/code)
#   sagemaker_program=avatar/train.py | blip2/train.py | comparison/run.py
# and every other hyperparameter reaches train.py as "--name value". Channels arrive in
# /opt/ml/input/data/<channel> (SM_CHANNEL_<NAME>), the adapter goes to /opt/ml/model
# (SM_MODEL_DIR), and train.py writes its failure reason to /opt/ml/output/failure.
# No requirements.txt at the code root: the toolkit would pip-install it at start.
ARG DLC_REGION=us-east-1
ARG BASE_TAG=2.8.0-gpu-py312-cu129-ubuntu22.04-sagemaker
FROM 763104351884.dkr.ecr.${DLC_REGION}.amazonaws.com/pytorch-training:${BASE_TAG}

ARG TORCH_VERSION=2.13.0
ARG TORCH_CUDA=cu128

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    DIFFUSERS_OFFLINE=1

# The DLC's torchvision/torchaudio are built for its own torch; transformers 5 would probe
# a broken torchvision. Then torch, the CUDA build of the lock's pin, then the lock.
RUN python -m pip uninstall -y torchvision torchaudio torchtext torchdata \
    && python -m pip install --no-cache-dir "torch==${TORCH_VERSION}" \
        --index-url "https://download.pytorch.org/whl/${TORCH_CUDA}"

COPY requirements.lock /opt/vitrine/requirements.lock
RUN python -m pip install --no-cache-dir -r /opt/vitrine/requirements.lock

COPY . /opt/vitrine/sagemaker_containers/

ENV PYTHONPATH=/opt/vitrine

RUN python -c "import torch, diffusers, transformers, peft, sagemaker_training; \
from sagemaker_containers.avatar import train; from sagemaker_containers.blip2 import train as t; \
from sagemaker_containers.style import train as s; from sagemaker_containers.product import train as p; \
from sagemaker_containers.concept import train as c; \
from sagemaker_containers.comparison import run, scoring, bedrock, openai_images"
