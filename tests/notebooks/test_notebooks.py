"""The runbooks (``notebooks/*.ipynb``) run end to end on the embedded API with tiny
models, headless through nbclient, each under a time cap; they are committed without
outputs; and their shape is the case studies' (sections, a ``parameters`` cell)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
sys.path.insert(0, str(NOTEBOOKS))

from runner import NAMES, execute, stored_outputs, with_parameters  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterator

# Wall-time caps on tiny models (measured on 2 shared CPUs: 28–42 s, 59–76 s, 33–47 s).
CAPS_S = {"attributes": 240, "product-imagery": 360, "try-on": 300}
SECTIONS = ("Set-up", "Data", "Training", r"(Generation|Inference)", "Analysis")


def read(name: str) -> Any:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def headings(nb: Any) -> list[str]:
    return [line.lstrip("#").strip() for cell in nb.cells if cell.cell_type == "markdown"
            for line in cell.source.splitlines() if line.startswith("## ")]


def test_every_runbook_is_tested() -> None:
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == sorted(NAMES) == sorted(CAPS_S)


@pytest.mark.parametrize("name", NAMES)
def test_a_runbook_is_stored_without_outputs(name: str) -> None:
    nb = read(name)
    nbformat.validate(nb)
    assert stored_outputs(nb) == []


def test_the_outputs_check_catches_an_executed_cell() -> None:
    # The negative control: the same notebook with one output and a count is refused.
    nb = read("attributes")
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi\n")]
    code.execution_count = 3
    assert len(stored_outputs(nb)) == 2


@pytest.mark.parametrize("name", NAMES)
def test_a_runbook_has_the_case_studies_sections_and_a_parameters_cell(name: str) -> None:
    nb = read(name)
    found = headings(nb)
    positions = [next(i for i, h in enumerate(found) if re.search(rf"\b{s}\b", h))
                 for s in SECTIONS]
    assert positions == sorted(positions), found
    parameters = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(parameters) == 1 and 'TARGET = "local"' in parameters[0].source
    if name == "product-imagery":  # a comparison is run, scored and rated there
        assert any(h.endswith("Compare") for h in found)
        assert any("create_comparison" in c.source and c.cell_type == "code" for c in nb.cells)


def test_injected_parameters_follow_the_parameters_cell() -> None:
    nb = with_parameters(read("try-on"), {"TARGET": "aws", "STEPS": 30})
    index = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    assert nb.cells[index + 1].source == "TARGET = 'aws'\nSTEPS = 30"
    with pytest.raises(ValueError, match="parameters"):
        with_parameters(nbformat.v4.new_notebook(), {"TARGET": "aws"})


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_a_runbook_runs_end_to_end_on_tiny_models(
    name: str, tiny_models_dir: Path, tmp_path: Path
) -> None:
    nb, seconds = execute(NOTEBOOKS / f"{name}.ipynb", {"MODELS_DIR": str(tiny_models_dir)},
                          cell_timeout_s=CAPS_S[name], out=tmp_path)
    print(f"{name}: {seconds:.1f} s")
    assert seconds < CAPS_S[name]
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # The analysis shows pictures (contact sheets, charts), not just reprs.
    assert any("image/png" in o.get("data", {}) for o in outputs)
    # The embedded API it started is stopped by the last cell.
    text = "".join(o.get("text", "") for o in outputs)
    base = re.search(r"embedded API at (http://127\.0\.0\.1:\d+)", text)
    assert base, text[:500]
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{base.group(1)}/healthz", timeout=2)


@pytest.fixture
def local(tiny_models_dir: Path) -> Iterator[Any]:
    from runbook import connect

    vitrine = connect("local", models_dir=tiny_models_dir)
    try:
        yield vitrine
    finally:
        vitrine.close()


@pytest.mark.slow
def test_target_aws_calls_the_api_named_by_the_environment(
    local: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image
    from runbook import RunbookError, connect, png

    # A deployment stands in: the local API, reached only through the two variables.
    monkeypatch.setenv("VITRINE_API_URL", local.base_url)
    monkeypatch.setenv("VITRINE_API_KEY", local.api_key)
    remote = connect("aws")
    try:
        assert (remote.base_url, remote.tiny) == (local.base_url, False)
        assert remote.upload(png(Image.new("RGB", (8, 8)))).startswith("upl_")
    finally:
        remote.close()
    # ...and a wrong key is a problem named, not a silent None.
    monkeypatch.setenv("VITRINE_API_KEY", "not-a-key")
    stranger = connect("aws")
    try:
        with pytest.raises(RunbookError, match="unauthorized"):
            stranger.upload(b"x")
    finally:
        stranger.close()
    with pytest.raises(ValueError, match="TARGET"):
        connect("gcp")
