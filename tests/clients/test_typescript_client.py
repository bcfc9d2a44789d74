"""The generated TypeScript client (``clients/typescript``: openapi-typescript types over
openapi-fetch) against a live local server, with Node's own test runner; ``tsc`` first
checks that the tests and the playground use the generated types correctly."""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING

import pytest

from tests.clients.conftest import API_KEY, ROOT

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow


def node(*cmd: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(c) for c in cmd], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300, check=False,
    )


def test_the_typescript_sources_typecheck(node_tools: Path) -> None:
    done = node(node_tools / "tsc", "--noEmit", "-p", "tsconfig.json")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_typescript_client_against_a_live_server(
    node_tools: Path, live_api: str, photo_path: Path, tmp_path: Path
) -> None:
    # Node 20 runs JavaScript: esbuild strips the types (tsc above checks them).
    bundle = tmp_path / "client.test.mjs"
    built = node(
        node_tools / "esbuild", "clients/typescript/test/client.test.ts", "--bundle",
        "--platform=node", "--format=esm", f"--outfile={bundle}",
    )
    assert built.returncode == 0, built.stderr
    env = {
        **os.environ,
        "VITRINE_BASE_URL": live_api,
        "VITRINE_API_KEY": API_KEY,
        "VITRINE_TEST_IMAGE": str(photo_path),
    }
    done = node("node", "--test", "--test-reporter=spec", bundle, env=env)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert "# fail 0" in done.stdout or "fail 0" in done.stdout, done.stdout[-3000:]
