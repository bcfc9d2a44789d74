# PLACEHOLDER on branch `avatar` only, so that the CDK image asset can be synthesized:
# the SERVING helper owns this file (branch `serving`); on merge, take theirs.
ARG DLC_REGION=us-east-1
ARG BASE_TAG=2.6.0-gpu-py312-cu124-ubuntu22.04-sagemaker-v1.84
FROM 763104351884.dkr.ecr.${DLC_REGION}.amazonaws.com/pytorch-inference:${BASE_TAG}
COPY . /opt/vitrine/sagemaker_containers/
ENV PYTHONPATH=/opt/vitrine
