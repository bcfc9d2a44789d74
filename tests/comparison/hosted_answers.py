"""What hosted image models answer with: a PNG, base64-encoded."""

from __future__ import annotations

import base64
import io


def png_base64(size: tuple[int, int] = (64, 64), seed: int = 0) -> str:
    """A noise PNG as a hosted model answers it (base64)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise(size, 40 + seed).convert("RGB").save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()
