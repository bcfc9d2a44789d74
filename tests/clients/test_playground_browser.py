"""The playground page in a real headless Chromium (Debian's, driven by playwright-core
from Node's test runner) against a live local server: it loads, a segmentation shows its
masks, a try-on reaches succeeded and shows images, a 401 shows a readable problem.

Set ``VITRINE_PLAYGROUND_SCREENSHOT`` to keep a screenshot taken after the try-on.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.clients.conftest import API_KEY, ROOT

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.slow


def test_the_playground_in_chromium(
    node_tools: Path, live_api: str, photo_path: Path, tmp_path: Path
) -> None:
    if not CHROMIUM.exists():
        pytest.fail("Chromium missing: `make test` installs it (apt-get install chromium)")
    screenshot = os.environ.get("VITRINE_PLAYGROUND_SCREENSHOT", str(tmp_path / "playground.png"))
    env = {
        **os.environ,
        "VITRINE_BASE_URL": live_api,
        "VITRINE_API_KEY": API_KEY,
        "VITRINE_TEST_IMAGE": str(photo_path),
        "VITRINE_PLAYGROUND_SCREENSHOT": screenshot,
        "CHROMIUM": str(CHROMIUM),
    }
    done = subprocess.run(
        ["node", "--test", "--test-reporter=spec", "playground/test/playground.test.mjs"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert Path(screenshot).stat().st_size > 10_000
