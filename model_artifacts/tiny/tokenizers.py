"""Tiny tokenizers written to disk, offline: a CLIP byte-level BPE and a T5 unigram.

Real tokenizers come with real checkpoints; these only need to tokenize any English
prompt (unknown words fall back to characters) with a vocabulary small enough that the
embedding tables stay tiny. ``clip_tokenizer`` is shared by every CLIP-text model
(CLIPSeg, the Stable Diffusion text encoders), so a new tiny pipeline calls it too.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from transformers import CLIPTokenizer, T5Tokenizer

# Words that get a single token: the vocabulary of the demo and the tests' prompts.
WORDS: tuple[str, ...] = (
    "a", "an", "the", "of", "in", "on", "with", "and", "is", "what", "which", "this",
    "photo", "picture", "person", "model", "wearing", "garment", "product",
    "dress", "shirt", "blouse", "skirt", "jeans", "pants", "trousers", "jacket",
    "coat", "sweater", "hoodie", "shoes", "sneakers", "boots", "bag", "hat", "scarf",
    "top", "sleeve", "sleeves", "collar", "neckline", "pattern", "fabric", "material",
    "color", "colour", "style", "fit", "length", "cotton", "linen", "silk", "wool",
    "denim", "leather", "polyester", "red", "blue", "green", "black", "white", "yellow",
    "pink", "grey", "gray", "brown", "beige", "striped", "floral", "plain", "checked",
    "long", "short", "casual", "formal", "summer", "winter", "studio", "background",
    "high", "quality", "detailed", "blurry", "question", "answer",
)
CLIP_BOS, CLIP_EOS = "<|startoftext|>", "<|endoftext|>"
CLIP_MAX_LENGTH = 77  # CLIP's position table; CLIPSeg and SD pad/truncate to it.
T5_SPECIALS: tuple[str, ...] = ("<pad>", "</s>", "<unk>")


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2/CLIP byte-level alphabet: every byte maps to a printable character."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1),
                 *range(ord("®"), ord("ÿ") + 1)]
    chars = list(printable)
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            chars.append(256 + extra)
            extra += 1
    return {byte: chr(char) for byte, char in zip(printable, chars, strict=True)}


def clip_vocab_and_merges(words: tuple[str, ...] = WORDS) -> tuple[dict[str, int], list[str]]:
    """CLIP's layout: bytes, bytes + ``</w>``, one merge chain per word, then specials."""
    alphabet = list(_bytes_to_unicode().values())
    tokens = alphabet + [f"{char}</w>" for char in alphabet]
    merges: list[str] = []
    known = set(tokens)
    for word in words:
        symbols = [_bytes_to_unicode()[b] for b in word.encode()]
        symbols[-1] += "</w>"
        merged = symbols[0]
        for nxt in symbols[1:]:
            merge, merged = f"{merged} {nxt}", merged + nxt
            if merged not in known:
                known.add(merged)
                tokens.append(merged)
                merges.append(merge)
    tokens += [CLIP_BOS, CLIP_EOS]
    return {token: index for index, token in enumerate(tokens)}, merges


def clip_tokenizer(out_dir: Path, words: tuple[str, ...] = WORDS) -> CLIPTokenizer:
    """Write ``vocab.json`` + ``merges.txt`` to ``out_dir`` and load a ``CLIPTokenizer``.

    The files stay in ``out_dir`` (the slow-tokenizer format every transformers version
    reads); ``save_pretrained`` on the returned tokenizer adds ``tokenizer.json``.
    """
    from transformers import CLIPTokenizer

    vocab, merges = clip_vocab_and_merges(words)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    # Like OpenAI's file, the first line is a header the loaders skip.
    (out_dir / "merges.txt").write_text(
        "#version: 0.2\n" + "\n".join(merges) + "\n", encoding="utf-8"
    )
    tokenizer: CLIPTokenizer = CLIPTokenizer.from_pretrained(
        out_dir, model_max_length=CLIP_MAX_LENGTH
    )
    return tokenizer


def clip_text_config(tokenizer: CLIPTokenizer) -> dict[str, int]:
    """The tiny CLIP text tower CLIP and CLIPSeg share, sized to ``tokenizer``."""
    return {
        "vocab_size": len(tokenizer),
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "max_position_embeddings": CLIP_MAX_LENGTH,
        "bos_token_id": tokenizer.bos_token_id,
        "eos_token_id": tokenizer.eos_token_id,
        "pad_token_id": tokenizer.pad_token_id,
    }


def t5_vocab(words: tuple[str, ...] = WORDS) -> list[tuple[str, float]]:
    """A sentencepiece-style unigram vocabulary: specials, ``▁word`` pieces, characters.

    Whole words score higher than any spelling of them, so known words stay one piece;
    any other printable ASCII text falls back to characters instead of ``<unk>``.
    """
    pieces: list[tuple[str, float]] = [(piece, 0.0) for piece in T5_SPECIALS]
    pieces.append(("▁", -3.0))
    seen = {piece for piece, _ in pieces}
    for word in words:
        # T5 keeps case, so prompts' capitalised words ("Question:") get pieces too.
        for piece in (f"▁{word}", f"▁{word.capitalize()}", word):
            if piece not in seen:
                seen.add(piece)
                pieces.append((piece, -4.0))
    for char in map(chr, range(ord("!"), ord("~") + 1)):
        if char not in seen:
            seen.add(char)
            pieces.append((char, -10.0))
    return pieces


def t5_tokenizer(words: tuple[str, ...] = WORDS) -> T5Tokenizer:
    """A ``T5Tokenizer`` without a sentencepiece model file (saved as ``tokenizer.json``)."""
    from transformers import T5Tokenizer

    return T5Tokenizer(vocab=t5_vocab(words), extra_ids=0)
