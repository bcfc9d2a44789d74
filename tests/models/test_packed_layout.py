"""The handlers as SageMaker runs them: ``core.py`` and ``common/`` copied into ``code/``.

Packed, ``sagemaker_containers`` is not installed: the handlers must find their
siblings. The check runs in a fresh interpreter where importing the package fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from tiny_helpers import CONTAINERS, garment_image, png_b64

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

SCRIPT = r'''
import importlib, importlib.abc, json, sys

class NoRepoPackage(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "sagemaker_containers":
            raise ImportError("sagemaker_containers is not installed in a container")
        return None

sys.meta_path.insert(0, NoRepoPackage())
requests = json.loads(sys.argv[1])
for model, (code_dir, model_dir, request) in requests.items():
    for name in [m for m in sys.modules if m in ("core", "inference") or m.startswith("common")]:
        del sys.modules[name]
    sys.path.insert(0, code_dir)  # what the inference toolkit does with code/
    handler = importlib.import_module("inference")
    assert handler.core.__file__.startswith(code_dir), handler.core.__file__
    loaded = handler.model_fn(model_dir)
    data = handler.input_fn(json.dumps(request), "application/json")
    output = json.loads(handler.output_fn(handler.predict_fn(data, loaded), "application/json"))
    print(model, sorted(output))
    try:
        handler.input_fn("{}", "application/json")
    except ValueError as exc:
        print(model, "rejects", type(exc).__module__, type(exc).__name__)
    sys.path.remove(code_dir)
'''


def pack(model: str, into: Path) -> Path:
    """Lay out ``code/`` as ``model_artifacts pack`` will: handler + core + common."""
    code = into / model / "code"
    shutil.copytree(CONTAINERS / model / "code", code)
    shutil.copy(CONTAINERS / model / "core.py", code / "core.py")
    shutil.copytree(CONTAINERS / "common", code / "common")
    return code


def test_packed_handlers_import_their_siblings(tmp_path: Path, tiny_models_dir: Path) -> None:
    image = png_b64(garment_image())
    requests = {
        "clipseg": {"image": image, "prompts": ["a dress"]},
        "inpainting": {"image": image, "mask": image, "prompt": "a dress", "steps": 1,
                       "width": 64, "height": 64},
        "blip2": {"image": image, "questions": {"fabric": "What fabric?"}, "max_new_tokens": 2},
    }
    argument = {
        model: [str(pack(model, tmp_path)), str(tiny_models_dir / model), request]
        for model, request in requests.items()
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(argument)],
        capture_output=True, text=True, cwd=tmp_path, timeout=300, check=False,
        env={**os.environ, "OMP_NUM_THREADS": "1"},  # see conftest: tiny models, busy CPUs
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert "clipseg ['height', 'masks', 'width']" in lines
    assert "inpainting ['height', 'images', 'seed', 'width']" in lines
    assert "blip2 ['answers']" in lines
    for model in requests:
        # The packed InvalidInput is the sibling common's, still a ValueError.
        assert f"{model} rejects common.errors InvalidInput" in lines
