"""The comparison report people read: ``report.html``, ``contact-sheet.png``, ``report.json``.

``write(out_dir, report)`` renders a report dict (the report.json contract) next to the
images it names (paths relative to ``out_dir``):

- ``report.html``: the page in ``report_page/`` made self-contained: its CSS and script
  inlined, the report embedded as JSON in ``<script type="application/json"
  id="report-data">`` (which switches the page to file mode), images left as relative files;
- ``contact-sheet.png``: prompts as rows, models as columns, each image with its CLIP score,
  failed/skipped/blocked cells saying why;
- ``report.json``: the report as given.

The same ``report_page/`` folder, served as is by the API, is the page's API mode.
"""

from __future__ import annotations

import hashlib
import json
import math
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageDraw, ImageFont, ImageOps

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["PAGE_DIR", "contact_sheet", "page_html", "write"]

PAGE_DIR = Path(__file__).with_name("report_page")
CSS_TAG = '<link rel="stylesheet" href="report.css">'
SCRIPT_TAG = '<script src="report.js"></script>'
DATA_MARK = "<!-- report-data -->"

THUMB = 160  # contact sheet: a cell's image box (px)
PAD = 8
LABEL_WIDTH = 220  # the prompt column
HEADER_HEIGHT = 44  # the model names
CAPTION_HEIGHT = 18  # a cell's score line
FONT_SIZE = 13


def write(out_dir: Path | str, report: Mapping[str, Any]) -> Path:
    """Writes ``report.json``, ``report.html`` and ``contact-sheet.png``; returns the page."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    page = out / "report.html"
    page.write_text(page_html(report), encoding="utf-8")
    contact_sheet(out, report).save(out / "contact-sheet.png", optimize=True)
    return page


def page_html(report: Mapping[str, Any]) -> str:
    """The page with CSS and script inlined and ``report`` embedded (file mode)."""
    html = (PAGE_DIR / "report.html").read_text(encoding="utf-8")
    css = (PAGE_DIR / "report.css").read_text(encoding="utf-8")
    script = (PAGE_DIR / "report.js").read_text(encoding="utf-8")
    # An inlined file must not end its own element early (a page bug, not a data one).
    if "</style" in css.lower() or "</script" in script.lower():
        raise RuntimeError("report_page: report.css/report.js would close their inline element")
    data = _embedded_json(report)
    key = hashlib.sha256(data.encode()).hexdigest()[:16]  # the picks' storage key
    embedded = f'<script type="application/json" id="report-data" data-key="{key}">{data}</script>'
    for marker, replacement in (
        (CSS_TAG, f"<style>\n{css}</style>"),
        (DATA_MARK, embedded),
        (SCRIPT_TAG, f"<script>\n{script}</script>"),
    ):
        if html.count(marker) != 1:
            raise RuntimeError(f"report_page/report.html: expected one {marker!r}")
        html = html.replace(marker, replacement)
    return html


def _embedded_json(report: Mapping[str, Any]) -> str:
    """JSON safe inside a script element: ``<``, ``>``, ``&`` as escapes (prompts are user
    text: a ``</script>`` in one stays text), non-finite numbers as null (JSON.parse has none)."""
    text = json.dumps(_finite(report), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def contact_sheet(out_dir: Path, report: Mapping[str, Any]) -> Image.Image:
    """Prompts as rows, models as columns, each cell's image (or why there is none)."""
    prompts = list(report["prompts"])
    models = list(report["models"])
    cells = {(c["prompt"], c["model"]): c for c in report["cells"]}
    column = THUMB + PAD
    row = THUMB + CAPTION_HEIGHT + PAD
    sheet = Image.new(
        "RGB",
        (LABEL_WIDTH + column * len(models) + PAD, HEADER_HEIGHT + row * len(prompts) + PAD),
        "white",
    )
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=FONT_SIZE)
    for j, model in enumerate(models):
        x = LABEL_WIDTH + j * column
        label = str(model.get("label") or model["name"])
        _text(draw, (x, PAD), label, font, THUMB, lines=1)
        _text(draw, (x, PAD + FONT_SIZE + 3), str(model["name"]), font, THUMB, lines=1,
              fill="#777777")
    for i, prompt in enumerate(prompts):
        y = HEADER_HEIGHT + i * row
        _text(draw, (PAD, y), f"#{prompt['index']} {prompt['prompt']}", font, LABEL_WIDTH - 2 * PAD,
              lines=THUMB // (FONT_SIZE + 3))
        top = _top_clip([c for c in report["cells"] if c["prompt"] == prompt["index"]])
        for j, model in enumerate(models):
            x = LABEL_WIDTH + j * column
            cell = cells.get((prompt["index"], model["name"]))
            _cell(sheet, draw, (x, y), cell, model, out_dir, font, top=model["name"] in top)
    return sheet


def _top_clip(cells: list[Mapping[str, Any]]) -> set[str]:
    """The models with a prompt's top CLIP score (none when under two models have one)."""
    scored = {c["model"]: c["clip_score"] for c in cells
              if isinstance(c.get("clip_score"), int | float) and math.isfinite(c["clip_score"])}
    if len(scored) < 2:
        return set()
    best = max(scored.values())
    return {m for m, score in scored.items() if score == best}


def _cell(
    sheet: Image.Image,
    draw: ImageDraw.ImageDraw,
    at: tuple[int, int],
    cell: Mapping[str, Any] | None,
    model: Mapping[str, Any],
    out_dir: Path,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    *,
    top: bool,
) -> None:
    x, y = at
    image = _thumbnail(out_dir, cell["image"]) if cell and cell["status"] == "succeeded" else None
    if image is not None:
        sheet.paste(image, (x + (THUMB - image.width) // 2, y + (THUMB - image.height) // 2))
        score = cell.get("clip_score") if cell else None
        caption = f"CLIP {score:.2f}" if isinstance(score, int | float) else "CLIP —"
        caption += "  (top CLIP)" if top else ""
        _text(draw, (x, y + THUMB + 2), caption, font, THUMB, lines=1)
        return
    draw.rectangle((x, y, x + THUMB - 1, y + THUMB - 1), fill="#f1f1f1", outline="#cccccc")
    if cell is None:
        why = f"failed: {model['error']}" if model.get("error") else "no result"
    elif cell["status"] == "succeeded":
        why = "image missing"
    else:
        reason = cell.get("error") or cell.get("moderation")
        why = f"{cell['status']}: {reason}" if reason else str(cell["status"])
    _text(draw, (x + 6, y + 6), why, font, THUMB - 12, lines=THUMB // (FONT_SIZE + 3) - 1,
          fill="#a11111")


def _thumbnail(out_dir: Path, name: object) -> Image.Image | None:
    """The cell's image fitted in the box; None when absent, unreadable or outside the report."""
    if not isinstance(name, str) or not name:
        return None
    root = out_dir.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    try:
        with Image.open(path) as img:
            return ImageOps.contain(img.convert("RGB"), (THUMB, THUMB))
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _text(
    draw: ImageDraw.ImageDraw,
    at: tuple[int, int],
    text: str,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    width: int,
    *,
    lines: int,
    fill: str = "#222222",
) -> None:
    """``text`` wrapped to ``width`` pixels, at most ``lines`` lines (the last one elided)."""
    chars = max(4, int(width / (draw.textlength("abcdefghij", font=font) / 10)))
    wrapped = textwrap.wrap(" ".join(text.split()), width=chars, max_lines=max(1, lines),
                            placeholder=" …") or [""]
    x, y = at
    for line in wrapped:
        while len(line) > 1 and draw.textlength(line, font=font) > width:
            line = line[:-2] + "…"
        draw.text((x, y), line, font=font, fill=fill)
        y += FONT_SIZE + 3
