"""Pure request rules: attribute questions and the try-on mask region."""

from __future__ import annotations

import pytest

from api.services.attribute_questions import GENERIC, default_attributes, questions_for
from api.services.try_on import default_mask_prompt


def test_defaults_follow_the_product_type() -> None:
    assert "collar" in default_attributes("Shirt")
    assert "neckline" in default_attributes("dress")
    assert default_attributes("shirts") == default_attributes("shirt")
    assert default_attributes("umbrella") == GENERIC
    assert default_attributes(None) == GENERIC


def test_one_question_per_attribute_known_and_custom() -> None:
    questions = questions_for("dress", ["fabric", "hem_style", "fabric"])
    assert list(questions) == ["fabric", "hem_style"]
    assert questions["fabric"] == "What fabric is this dress made of?"
    assert questions["hem_style"] == "What is the hem style of this dress?"


@pytest.mark.parametrize(
    ("garment", "region"),
    [
        ("a red linen shirt", "shirt"),
        ("Floral summer DRESS", "dress"),
        ("slim black jeans", "pants"),
        ("a denim jacket over a t-shirt", "jacket"),
        ("something shiny", "clothes"),
    ],
)
def test_mask_region_from_the_garment(garment: str, region: str) -> None:
    assert default_mask_prompt(garment) == region
