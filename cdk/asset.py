"""Where the Lambda code comes from.

``vitrine:lambdaAsset = build`` (the default, and the only deployable choice): the folder
``scripts/build_lambda_asset.py`` builds (``.lambda-asset/``: our packages + Linux wheels
of the runtime dependencies, no Docker needed). Synth stops with instructions when it is
missing.

``vitrine:lambdaAsset = code-only``: a folder with only ``api/`` and ``lambdas/``, no
dependencies. The functions would fail to import on AWS, so this is for synthesizing
templates where the infrastructure is under test (``tests/cdk``), never for deploying:
the stacks carry a warning, and every function's description says so.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from aws_cdk import aws_lambda as lambda_

if TYPE_CHECKING:
    from cdk.config import DeployConfig

REPO_ROOT = Path(__file__).resolve().parent.parent
STAMP_NAME = ".vitrine-asset.json"  # written by scripts/build_lambda_asset.py
CODE_ONLY_NOTE = "SYNTH-ONLY code asset without dependencies: do not deploy"


class LambdaAssetMissing(RuntimeError):
    """The built asset is absent: run ``scripts/build_lambda_asset.py`` first."""


def _code_only_folder(outdir: Path) -> Path:
    from scripts.build_lambda_asset import copy_sources

    folder = outdir / "code-only-lambda-asset"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    copy_sources(folder)
    (folder / "CODE-ONLY.json").write_text(json.dumps({"note": CODE_ONLY_NOTE}) + "\n")
    return folder


def lambda_code(config: DeployConfig, *, outdir: Path) -> lambda_.Code:
    """The Lambda code asset the configuration asks for (see the module docstring)."""
    if config.lambda_asset == "code-only":
        return lambda_.Code.from_asset(str(_code_only_folder(outdir)))
    folder = Path(config.lambda_asset_dir)
    folder = folder if folder.is_absolute() else REPO_ROOT / folder
    if not (folder / STAMP_NAME).is_file():
        raise LambdaAssetMissing(
            f"no built Lambda asset at {folder}: run "
            "`.venv/bin/python scripts/build_lambda_asset.py` (or `make synth`) first"
        )
    return lambda_.Code.from_asset(str(folder))
