"""A synthetic fashion photo, drawn with Pillow: no dataset can be downloaded here.

A figure in a dress on a studio background, so that segmentation prompts such as
"the dress" have something to point at (with real weights; tiny models give noise).
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFilter


def fashion_photo(size: int = 512) -> bytes:
    s = size / 512
    img = Image.new("RGB", (size, size), (236, 230, 222))
    d = ImageDraw.Draw(img)
    d.rectangle([0, int(400 * s), size, size], fill=(214, 205, 193))  # floor
    skin = (224, 182, 150)
    d.ellipse([int(226 * s), int(60 * s), int(286 * s), int(126 * s)], fill=skin)  # head
    d.ellipse([int(222 * s), int(52 * s), int(290 * s), int(100 * s)], fill=(70, 45, 30))  # hair
    d.rectangle([int(248 * s), int(122 * s), int(264 * s), int(140 * s)], fill=skin)  # neck
    # dress: bodice + flared skirt
    dress = (38, 84, 158)
    d.polygon(
        [(int(x * s), int(y * s)) for x, y in
         [(214, 140), (298, 140), (290, 230), (340, 400), (172, 400), (222, 230)]],
        fill=dress,
    )
    d.line([(int(222 * s), int(230 * s)), (int(290 * s), int(230 * s))], fill=(28, 60, 120),
           width=max(1, int(4 * s)))
    for arm in ([(214, 142), (196, 150), (184, 262), (198, 264), (212, 170)],
                [(298, 142), (316, 150), (328, 262), (314, 264), (300, 170)]):
        d.polygon([(int(x * s), int(y * s)) for x, y in arm], fill=skin)
    for leg_x in (232, 268):
        d.rectangle([int(leg_x * s), int(400 * s), int((leg_x + 12) * s), int(470 * s)], fill=skin)
        d.ellipse([int((leg_x - 6) * s), int(462 * s), int((leg_x + 18) * s), int(478 * s)],
                  fill=(30, 30, 30))
    img = img.filter(ImageFilter.SMOOTH)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=92)
    return buf.getvalue()


def garment_photo(size: int = 384) -> bytes:
    """A flat-lay product photo: a short-sleeved shirt on white, as catalogs shoot them."""
    s = size / 384
    img = Image.new("RGB", (size, size), (250, 250, 248))
    d = ImageDraw.Draw(img)
    shirt = (196, 52, 48)
    d.polygon([(int(x * s), int(y * s)) for x, y in
               [(132, 60), (252, 60), (330, 110), (300, 160), (262, 140), (262, 330),
                (122, 330), (122, 140), (84, 160), (54, 110)]], fill=shirt)
    d.polygon([(int(x * s), int(y * s)) for x, y in [(160, 60), (224, 60), (192, 96)]],
              fill=(250, 250, 248))  # the neckline
    for y in range(120, 320, 40):  # buttons
        d.ellipse([int(188 * s), int(y * s), int(196 * s), int((y + 8) * s)], fill=(240, 230, 210))
    img = img.filter(ImageFilter.SMOOTH)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=92)
    return buf.getvalue()
