"""A seal image for the print test, drawn like a round agency seal: a red ring, a star, the agency's
name along the upper arc and 「演示专用」 under the star, on a transparent background."""

import io
import math
import subprocess

from PIL import Image, ImageDraw, ImageFont

RED = (208, 0, 0, 255)


def _font(size: int) -> ImageFont.FreeTypeFont:
    path = subprocess.run(["fc-match", "-f", "%{file}", "Noto Serif CJK SC:bold"], capture_output=True, text=True,
                          check=True).stdout
    return ImageFont.truetype(path, size)


def seal_png(name: str, size: int = 600) -> bytes:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre, ring = size / 2, size / 2 - 12
    draw.ellipse((12, 12, size - 12, size - 12), outline=RED, width=size // 28)
    star = [(centre + r * math.sin(math.pi * k / 5), centre - r * math.cos(math.pi * k / 5))
            for k, r in zip(range(10), [size / 7, size / 17] * 5, strict=True)]
    draw.polygon(star, fill=RED)
    glyph_size = int(size / 7.5)
    font = _font(glyph_size)
    span = math.radians(220)  # the name along the upper 220° of the ring, left to right
    for n, char in enumerate(name):
        angle = -math.pi / 2 - span / 2 + span * (n + 0.5) / len(name)
        glyph = Image.new("RGBA", (glyph_size * 2, glyph_size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((glyph_size, glyph_size), char, font=font, fill=RED, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        radius = ring - glyph_size * 0.85
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        image.alpha_composite(glyph, (int(x - glyph_size), int(y - glyph_size)))
    draw.text((centre, centre + size / 4.2), "演示专用", font=_font(int(size / 11)), fill=RED, anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
