"""Training rows for attribute models: CSV shapes, taxonomy rows, every problem reported."""

from __future__ import annotations

import pytest

from api.domain.commands import RawRow
from api.domain.errors import RequestValidationFailed
from api.domain.taxonomies import TaxonomyAttribute, TaxonomySpec
from api.services.attribute_data import labelled, read_csv, training_csv

SPEC = TaxonomySpec(attributes={
    "color": TaxonomyAttribute(values=("red", "navy blue")),
    "fit": TaxonomyAttribute(values=("slim", "regular"), question="How does it fit?"),
})


def test_the_aws_sample_header_and_a_bom_are_read() -> None:
    rows = read_csv("\ufeffid,Question,Answer\nupl_1,What is the color?,red\n")
    assert rows == [RawRow(image="upl_1", answer="red", question="What is the color?")]
    (row,) = labelled([*rows, RawRow("upl_2", "blue", "What is the color?")], None)[:1]
    assert (row.upload_id, row.attribute, row.question) == ("upl_1", "What is the color?",
                                                            "What is the color?")


def test_attribute_names_get_their_standard_question_without_a_taxonomy() -> None:
    raw = [RawRow("upl_1", "cotton", attribute="fabric"), RawRow("upl_2", "silk", "Q?")]
    assert labelled(raw, None)[0].question == "What fabric is this garment made of?"
    # ...naming the product as POST /v1/attributes will ask about it
    assert labelled(raw, None, "Shirt")[0].question == "What fabric is this shirt made of?"


def test_taxonomy_rows_use_its_questions_and_spelling() -> None:
    rows = labelled([RawRow("upl_1", "NAVY BLUE", attribute="color"),
                     RawRow("upl_2", "slim", attribute="fit")], SPEC)
    assert [(r.answer, r.question) for r in rows] == [
        ("navy blue", "What is the main color of this garment?"), ("slim", "How does it fit?")]


def test_every_bad_row_is_reported_at_once() -> None:
    with pytest.raises(RequestValidationFailed) as error:
        labelled([RawRow("upl_1", "purple", attribute="color"),
                  RawRow("upl_2", "slim", attribute="sleeves"),
                  RawRow("", "slim", attribute="fit"),
                  RawRow("upl_3", "x" * 81, attribute="fit")], SPEC)
    detail = error.value.detail
    assert "row 1: 'purple' is not an allowed value of color" in detail
    assert "row 2: attribute 'sleeves' is not in the taxonomy" in detail
    assert "row 3: empty image or answer" in detail
    assert "row 4: a cell is over 80 characters" in detail


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("path,text\nx,y\n", "needs a header"),
        ("image,answer\nupl_1,red\n", "needs a header"),
        ("image,question,answer\n" + "upl_1,Q?,a\n" * 5001, "at most 5000 rows"),
    ],
)
def test_bad_csvs(text: str, message: str) -> None:
    with pytest.raises(RequestValidationFailed, match=message):
        read_csv(text)


def test_one_image_is_not_enough_to_hold_one_out() -> None:
    with pytest.raises(RequestValidationFailed, match="2-1000 distinct images"):
        labelled([RawRow("upl_1", "red", "Q?"), RawRow("upl_1", "slim", "Q2?")], None)


def test_the_training_csv_is_train_pys() -> None:
    rows = labelled([RawRow("upl_1", 'red, "bright"', "Which, colour?"),
                     RawRow("upl_2", "blue", "Which, colour?")], None)
    text = training_csv(rows, {"upl_1": "image-0.png", "upl_2": "image-1.jpg"}).decode()
    assert text.splitlines()[:2] == [
        "image_path,question,answer,attribute",
        'image-0.png,"Which, colour?","red, ""bright""","Which, colour?"']
