"""`make clients`: the API's OpenAPI document, dumped offline from ``create_app()`` (no
server), and the clients generated from it.

- ``clients/openapi.json``: the document (local profile, as ``make serve`` serves it).
- ``clients/python/``: ``openapi-python-client`` (must generate with no warning).
- ``clients/typescript/src/schema.d.ts``: ``openapi-typescript`` (types for
  ``openapi-fetch``), then ``tsc`` checks the hand-written wrapper against them.
- ``playground/dist/app.js``: the playground page's script, bundled by esbuild.

``--out DIR`` writes everything under DIR instead of the repository (the drift test
compares the two). Needs the venv and ``node_modules`` (``npm ci``).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NODE_BIN = ROOT / "node_modules" / ".bin"
# openapi-python-client and the ruff it formats with: their own venv (make clients).
GENERATOR_BIN = ROOT / ".venv" / "opc" / "bin"
# What the generators write, relative to the repository root.
OUTPUTS = (
    "clients/openapi.json",
    "clients/python",
    "clients/typescript/src/schema.d.ts",
    "playground/dist/app.js",
)


def ensure_tools() -> None:
    """The generators, installed when missing: npm packages from package-lock.json, and
    openapi-python-client in its own venv (clients/generator-requirements.txt)."""
    if not (NODE_BIN / "openapi-typescript").exists():
        run("npm", "ci", "--no-audit", "--no-fund")
    if not (GENERATOR_BIN / "openapi-python-client").exists():
        uv = ROOT / ".venv" / "bin" / "uv"
        run(uv, "venv", "-q", "--clear", GENERATOR_BIN.parent)
        run(uv, "pip", "install", "-q", "--python", GENERATOR_BIN / "python",
            "-r", ROOT / "clients" / "generator-requirements.txt")


def openapi_document() -> dict[str, Any]:
    """The document ``create_app()`` serves on the local profile, built in a temp dir."""
    from api.app import create_app
    from api.bootstrap import build_root
    from api.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            profile="local",
            data_dir=Path(tmp) / "data",
            models_dir=Path(tmp) / "models",
            api_keys="generate-clients-key:generate-clients",
            # Set, so that none is generated (and announced) for this throwaway app.
            url_signing_secret="generate-clients-url-signing-secret-0123456789",
            webhook_secret=(
                "whsec_" + base64.b64encode(b"generate-clients-webhook-key-32b").decode()
            ),
        )
        root = build_root(settings)
        try:
            return create_app(root=root).openapi()
        finally:
            root.close()


def run(*cmd: str | Path, cwd: Path = ROOT) -> str:
    """Runs a generator; its output (warnings included) is returned, failures raised."""
    env = {**os.environ, "PATH": f"{GENERATOR_BIN}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


def python_client(spec: Path, out: Path) -> None:
    log = run(
        GENERATOR_BIN / "openapi-python-client", "generate",
        "--path", spec, "--output-path", out, "--overwrite", "--meta", "setup",
        "--config", ROOT / "clients" / "python-client.yaml",
    )
    if "warning" in log.lower():
        raise SystemExit(f"openapi-python-client warned:\n{log}")


def typescript_client(spec: Path, out: Path) -> None:
    # Defaults do not make a request field required (the flag's default would).
    run(NODE_BIN / "openapi-typescript", spec, "--output", out, "--default-non-nullable", "false")


def playground_bundle(out: Path) -> None:
    # esbuild strips the types (tsc checks them); openapi-fetch is bundled in, no CDN.
    run(
        NODE_BIN / "esbuild", ROOT / "playground" / "src" / "app.ts",
        "--bundle", "--format=esm", "--target=es2022", "--minify-syntax",
        "--legal-comments=none", f"--outfile={out}",
    )


def generate(dest: Path) -> None:
    spec = dest / "clients" / "openapi.json"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(json.dumps(openapi_document(), indent=2, ensure_ascii=False) + "\n")
    python_client(spec, dest / "clients" / "python")
    typescript_client(spec, dest / "clients" / "typescript" / "src" / "schema.d.ts")
    playground_bundle(dest / "playground" / "dist" / "app.js")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write under this folder, not the repository")
    args = parser.parse_args(argv)
    ensure_tools()
    if args.out is not None:
        generate(args.out)
        return
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp))
        for rel in OUTPUTS:
            target = ROOT / rel
            if target.is_dir():
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(Path(tmp) / rel, target)
    run(NODE_BIN / "tsc", "--noEmit", "-p", ROOT / "tsconfig.json")


if __name__ == "__main__":
    main()
