"""The comparison report page in a real headless Chromium (Debian's, driven by playwright-core
from Node's test runner): file mode on a written report (the grid, a best pick saved in
localStorage, ratings.json downloaded in the contract's shape, the human win rate changing,
the summary sorted) and API mode's side of the exchange.

Set ``VITRINE_REPORT_SCREENSHOT`` to keep a screenshot of the file-mode page.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from sagemaker_containers.comparison.report_writer import PAGE_DIR, write
from tests.comparison.report_fixture import fixture_report, write_fixture_images

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def playwright_core() -> None:
    """``make test`` runs ``npm ci`` first (a clean clone has no node_modules)."""
    if not (ROOT / "node_modules" / "playwright-core").exists():
        if shutil.which("npm") is None:
            pytest.fail("Node/npm missing: `make test` installs the Node tooling (npm ci)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)


def test_the_report_page_in_chromium(playwright_core: None, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.fail("Chromium missing: `make test` installs it (apt-get install chromium)")
    write_fixture_images(tmp_path / "report")
    page = write(tmp_path / "report", fixture_report())
    screenshot = os.environ.get("VITRINE_REPORT_SCREENSHOT", str(tmp_path / "report.png"))
    env = {
        **os.environ,
        "REPORT_HTML": str(page),
        "PAGE_DIR": str(PAGE_DIR),
        "REPORT_SCREENSHOT": screenshot,
        "CHROMIUM": str(CHROMIUM),
    }
    done = subprocess.run(
        ["node", "--test", "--test-reporter=spec", "tests/comparison/report_page.test.mjs"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert Path(screenshot).stat().st_size > 10_000
