"""The handlers as the inference image runs them: code in the image, weights in the archive.

The image copies ``sagemaker_containers/`` (its build context, minus ``.dockerignore``) to
``/opt/vitrine/sagemaker_containers`` with ``PYTHONPATH=/opt/vitrine``; a SageMaker Model
names its handler module in ``SAGEMAKER_PROGRAM`` and brings a weights-only archive,
extracted to ``/opt/ml/model``. This runs that layout in a fresh interpreter, outside the
repository, through the toolkit's own handler service.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tiny_helpers import CONTAINERS, garment_image, png_b64
from toolkit_support import pack_and_extract

pytestmark = pytest.mark.slow

TESTS = Path(__file__).resolve().parent

SCRIPT = r'''
import json, sys
sys.path.insert(0, sys.argv[2])  # toolkit_support (the emulated model server), not the repo
from toolkit_support import ServedModel

requests = json.loads(sys.argv[1])
for model, (model_dir, request) in requests.items():
    served = ServedModel(model, __import__("pathlib").Path(model_dir))
    response = served.invoke(json.dumps(request).encode())
    handler = sys.modules[f"sagemaker_containers.{model}.code.inference"]
    print(model, response.status, sorted(json.loads(response.body)), handler.__file__)
'''


def image_code(into: Path) -> Path:
    """``COPY . /opt/vitrine/sagemaker_containers/``, honouring the ``.dockerignore``."""
    root = into / "opt" / "vitrine"
    shutil.copytree(CONTAINERS, root / "sagemaker_containers",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache",
                                                  "*.tar.gz"))
    return root


def test_the_image_layout_serves_weights_only_archives(
    tmp_path: Path, tiny_models_dir: Path
) -> None:
    image = png_b64(garment_image())
    requests = {
        "clipseg": {"image": image, "prompts": ["a dress"]},
        "inpainting": {"image": image, "mask": image, "prompt": "a dress", "steps": 1,
                       "width": 64, "height": 64},
        "blip2": {"image": image, "questions": {"fabric": "What fabric?"}, "max_new_tokens": 2},
        "generation": {"prompt": "a dress", "steps": 1, "seed": 1,
                       "control": {"image": image, "type": "canny"}},
    }
    argument = {}
    for model, request in requests.items():
        model_dir, _ = pack_and_extract(model, tiny_models_dir / model, tmp_path / model)
        argument[model] = [str(model_dir), request]
    vitrine = image_code(tmp_path / "image")
    # The venv's site-packages, but neither the repository nor its editable install.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env.update(PYTHONPATH=str(vitrine), OMP_NUM_THREADS="1", PYTHONNOUSERSITE="1")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(argument), str(TESTS)],
        capture_output=True, text=True, cwd=tmp_path, timeout=300, check=False, env=env,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    lines = {line.split()[0]: line for line in result.stdout.splitlines()
             if line.split()[:1] and line.split()[0] in requests}
    assert "200 ['height', 'masks', 'width']" in lines["clipseg"]
    assert ("200 ['generation_height', 'generation_width', 'height', 'images', 'mask', 'seed', "
            "'width']") in lines["inpainting"]
    assert "200 ['answers', 'confidence', 'scores']" in lines["blip2"]
    assert "200 ['control_image', 'height', 'images', 'seed', 'width']" in lines["generation"]
    for model, line in lines.items():
        # The handler came from the image's copy, not from the repository.
        assert line.endswith(f"{vitrine}/sagemaker_containers/{model}/code/inference.py"), line


def test_no_requirements_file_ships_for_the_toolkit_to_install() -> None:
    # sagemaker_inference pip-installs /opt/ml/model/code/requirements.txt at start, which
    # fails under network isolation: the lock is installed at build time instead.
    for model in ("clipseg", "inpainting", "blip2", "generation"):
        assert not sorted((CONTAINERS / model).glob("**/requirements*.txt")), model
