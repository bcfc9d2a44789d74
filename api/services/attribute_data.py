"""Training data for an attribute model: labelled rows, from a CSV or a taxonomy.

A row is (image upload id, attribute, question, answer). A CSV has a header naming its
columns, case-insensitively: the image (``image``, ``upload_id`` or the AWS sample's
``id``), ``answer``, and ``question`` and/or ``attribute``. With a taxonomy, a row may
name only the attribute (its question is the taxonomy's) and its answer must be one of
the attribute's allowed values (matched ignoring case, stored as the taxonomy spells it).
Every problem is reported in one 422, by line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from api.domain.errors import RequestValidationFailed
from api.services.attribute_questions import question

if TYPE_CHECKING:
    from collections.abc import Iterable

    from api.domain.commands import RawRow
    from api.domain.taxonomies import TaxonomySpec

MAX_ROWS = 5000
MAX_IMAGES = 1000
MIN_IMAGES = 2  # at least one to train on and one held out
_IMAGE_COLUMNS = ("image", "upload_id", "id")
_PRINTABLE = re.compile(r"^[^\x00-\x1f\x7f]+$")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True, slots=True)
class LabelledRow:
    upload_id: str
    attribute: str
    question: str
    answer: str


def read_csv(text: str) -> list[RawRow]:
    """The CSV's rows; a header without an image, answer and question/attribute is a 422."""
    from api.domain.commands import RawRow

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = {name.strip().lower(): name for name in reader.fieldnames or []}
    image = next((columns[c] for c in _IMAGE_COLUMNS if c in columns), None)
    if image is None or "answer" not in columns or not {"question", "attribute"} & set(columns):
        raise RequestValidationFailed(
            "the CSV needs a header with image (or upload_id, or id), answer, and question "
            f"and/or attribute; it has {sorted(columns)}"
        )
    rows = []
    for row in reader:
        cell = {key: (row.get(name) or "").strip() or None for key, name in columns.items()}
        rows.append(RawRow(image=cell[image.strip().lower()] or "", answer=cell["answer"] or "",
                           question=cell.get("question"), attribute=cell.get("attribute")))
        if len(rows) > MAX_ROWS:
            raise RequestValidationFailed(f"at most {MAX_ROWS} rows")
    return rows


def labelled(
    rows: Iterable[RawRow], taxonomy: TaxonomySpec | None, product_type: str | None = None
) -> list[LabelledRow]:
    """Checked rows with their questions and attribute names filled in (a standard
    question names ``product_type``, as ``POST /v1/attributes`` asks it)."""
    found: list[LabelledRow] = []
    problems: list[str] = []
    for line, row in enumerate(rows, start=2):  # line 1 is a CSV's header
        try:
            found.append(_labelled(row, taxonomy, product_type))
        except ValueError as exc:
            problems.append(f"row {line - 1}: {exc}")
    if problems:
        raise RequestValidationFailed("; ".join(problems[:20]))
    images = {row.upload_id for row in found}
    if not MIN_IMAGES <= len(images) <= MAX_IMAGES:
        raise RequestValidationFailed(
            f"training needs {MIN_IMAGES}-{MAX_IMAGES} distinct images ({len(images)} given): "
            "some are held out to measure accuracy"
        )
    return found


def _labelled(
    row: RawRow, taxonomy: TaxonomySpec | None, product_type: str | None
) -> LabelledRow:
    if not row.image or not row.answer:
        raise ValueError("empty image or answer")
    for text, limit in ((row.answer, 80), (row.question, 200), (row.attribute, 40)):
        if text is not None and (len(text) > limit or not _PRINTABLE.match(text)):
            raise ValueError(f"a cell is over {limit} characters or holds control characters")
    if taxonomy is None:
        if row.question is None:
            if row.attribute is None or not _NAME.match(row.attribute):
                raise ValueError("give a question, or an attribute name (a-z, 0-9, _)")
            asked = question(row.attribute, product_type)
            return LabelledRow(row.image, row.attribute, asked, row.answer)
        return LabelledRow(row.image, row.attribute or row.question, row.question, row.answer)
    if row.attribute is None or row.attribute not in taxonomy.attributes:
        raise ValueError(f"attribute {row.attribute!r} is not in the taxonomy")
    allowed = taxonomy.attributes[row.attribute]
    value = next((v for v in allowed.values if v.casefold() == row.answer.casefold()), None)
    if value is None:
        raise ValueError(f"{row.answer!r} is not an allowed value of {row.attribute}")
    asked = row.question or allowed.question or question(row.attribute, product_type)
    return LabelledRow(row.image, row.attribute, asked, value)


def training_csv(rows: Iterable[LabelledRow], image_paths: dict[str, str]) -> bytes:
    """``train.py``'s CSV: image_path (relative to the CSV), question, answer, attribute."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["image_path", "question", "answer", "attribute"])
    for row in rows:
        writer.writerow([image_paths[row.upload_id], row.question, row.answer, row.attribute])
    return out.getvalue().encode("utf-8")
