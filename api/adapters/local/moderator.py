"""Local ``Moderator``: a stand-in for Rekognition/Comprehend on one machine.

Text is checked against a small word list (whole words, case- and accent-folded);
images always pass, because no image classifier runs offline. The AWS profile uses
the real services; this adapter only keeps the moderation gate exercised locally.
"""

from __future__ import annotations

import re
import unicodedata

from api.ports import Verdict

# Deliberately short: explicit sexual content, sexual content involving minors, and
# graphic violence, the categories a storefront must never generate. Not "nude": in
# fashion it is a colour.
DEFAULT_BLOCKLIST: frozenset[str] = frozenset(
    {
        "naked", "nudity", "topless", "porn", "porno", "pornographic",
        "pornography", "explicit sex", "genitals", "underage", "gore", "beheading",
        "mutilation", "dismembered",
    }
)  # fmt: skip


class WordListModerator:
    """Flags text containing a blocked word or phrase; passes every image.

    Parameters
    ----------
    blocklist:
        Lower-case words or phrases, matched on word boundaries.
    """

    def __init__(self, blocklist: frozenset[str] = DEFAULT_BLOCKLIST) -> None:
        alternatives = "|".join(
            re.escape(term) for term in sorted(blocklist, key=len, reverse=True)
        )
        self._pattern = re.compile(rf"\b(?:{alternatives})\b")

    def check_text(self, text: str) -> Verdict:
        found = sorted(set(self._pattern.findall(_fold(text))))
        return Verdict(flagged=bool(found), reasons=[f"blocked term: {term}" for term in found])

    def check_image(self, data: bytes) -> Verdict:
        return Verdict(flagged=False)


def _fold(text: str) -> str:
    """Lower-case, strip accents and collapse whitespace so trivial variants still match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.split())
