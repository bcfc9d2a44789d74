"""The demo's taxonomy flow: constrained attributes, confidences, review routing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from demo.client import VitrineClient

TAXONOMY = {
    "attributes": {
        "sleeve_length": {"values": ["sleeveless", "short", "three-quarter", "long"]},
        "neckline": {"values": ["crew", "v-neck", "boat", "halter", "square"]},
        "length": {"values": ["mini", "knee-length", "midi", "maxi"]},
        "pattern": {"values": ["solid", "striped", "floral"]},
        "fit": {"values": ["fitted", "a-line", "loose"]},
    },
    "review_threshold": 0.5,
}


def taxonomy_flow(client: VitrineClient, upload_id: str) -> dict[str, Any]:
    """Store a taxonomy, answer from it, then describe from the confident answers only."""
    print("• taxonomy (PUT /v1/taxonomies/dresses): 5 attributes, their allowed values")
    client.request("PUT", "/v1/taxonomies/dresses", expect=200, json=TAXONOMY)
    print("• attributes from the taxonomy: every value scored in one pass, confidences")
    image = {"upload_id": upload_id}
    found = client.request(
        "POST", "/v1/attributes", expect=200,
        json={"image": image, "product_type": "dress", "taxonomy": "dresses"}).json()
    threshold = TAXONOMY["review_threshold"]
    confidences = sorted(a["confidence"] for a in found["answers"].values())
    if confidences[0] >= threshold or confidences[-1] < threshold:
        # All answers on one side of 0.5 (random tiny weights are near-uniform): a
        # threshold between them shows both routes, confident and held for review.
        threshold = round((confidences[0] + confidences[-1]) / 2, 4)
        print(f"  (all confidences on one side of 0.5: review threshold {threshold} instead)")
    print("• describe with review routing: copy only from confident answers")
    described = client.request(
        "POST", "/v1/products/describe", expect=200,
        json={"image": image, "product_type": "dress", "taxonomy": "dresses",
              "review_threshold": threshold, "tone": "elegant"}).json()
    return {"attributes": found, "describe": described, "threshold": threshold}
