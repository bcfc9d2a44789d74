"""Execute the runbooks headless (nbclient), as ``make notebooks`` and the tests do.

    python notebooks/runner.py [NAME ...] [--target local|aws] [--models-dir DIR] [--out DIR]

Parameters are injected after the cell tagged ``parameters`` (papermill's convention, so
papermill runs them too); the executed copies go to ``--out`` (the committed notebooks
stay without outputs: ``stored_outputs`` is the check).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
NAMES = ("attributes", "product-imagery", "try-on")


def with_parameters(nb: Any, parameters: dict[str, object]) -> Any:
    """A copy of ``nb`` with a cell assigning ``parameters`` after the ``parameters`` cell."""
    nb = nbformat.from_dict(nb)
    index = next((i for i, cell in enumerate(nb.cells)
                  if "parameters" in cell.get("metadata", {}).get("tags", [])), None)
    if index is None:
        raise ValueError("the notebook has no cell tagged 'parameters'")
    if parameters:
        source = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
        cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
        nb.cells.insert(index + 1, cell)
    return nb


def execute(path: Path, parameters: dict[str, object], *, cell_timeout_s: int = 900,
            out: Path | None = None) -> tuple[Any, float]:
    """Run the notebook at ``path`` in a fresh kernel (cwd: its folder); the executed
    notebook and its wall time. A failing cell raises ``CellExecutionError``; the partly
    executed copy is still written to ``out``."""
    nb = with_parameters(nbformat.read(path, as_version=4), parameters)
    client = NotebookClient(nb, timeout=cell_timeout_s, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    started = time.perf_counter()
    try:
        client.execute()
    finally:
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, out / path.name)
    return nb, time.perf_counter() - started


def stored_outputs(nb: Any) -> list[str]:
    """What a committed notebook must not hold: outputs and execution counts."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            found.append(f"cell {i}: {len(cell.outputs)} output(s)")
        if cell.get("execution_count") is not None:
            found.append(f"cell {i}: execution_count {cell.execution_count}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"default: {' '.join(NAMES)}")
    parser.add_argument("--target", choices=("local", "aws"), default="local")
    parser.add_argument("--models-dir", type=Path, help="local: the models folder")
    parser.add_argument("--out", type=Path, default=Path("notebook-output"))
    args = parser.parse_args(argv)
    if unknown := set(args.names) - set(NAMES):
        parser.error(f"no runbook named {', '.join(sorted(unknown))}")
    parameters: dict[str, object] = {"TARGET": args.target}
    if args.models_dir:
        parameters["MODELS_DIR"] = str(args.models_dir.resolve())
    for name in args.names or NAMES:
        _, seconds = execute(HERE / f"{name}.ipynb", parameters, out=args.out)
        print(f"{name}: {seconds:.1f} s → {args.out / f'{name}.ipynb'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
