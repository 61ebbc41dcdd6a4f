"""Draws the demo photos with Pillow, so the demo needs no downloaded images."""

import io
import random

from PIL import Image, ImageDraw, ImageFilter

SIZE = (1600, 1000)

PALETTES = {
    "harbour": ((32, 36, 68), (240, 140, 70), (20, 24, 36), (30, 50, 70)),
    "city": ((22, 34, 80), (120, 140, 200), (40, 36, 44), (230, 190, 110)),
    "sea": ((190, 205, 210), (230, 232, 228), (70, 96, 90), (110, 140, 135)),
    "festival": ((16, 12, 30), (70, 30, 60), (30, 20, 30), (255, 200, 90)),
    "tech": ((10, 16, 24), (30, 44, 60), (20, 26, 34), (90, 200, 160)),
    "forest": ((170, 180, 190), (220, 225, 228), (50, 90, 50), (90, 130, 70)),
}


def _gradient(draw, top, bottom, height, width):
    for y in range(height):
        t = y / max(height - 1, 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)


def draw_scene(scene: str, seed: str) -> bytes:
    """A JPEG of an abstract landscape in the scene's palette; same seed, same picture."""
    rng = random.Random(seed)
    sky_top, sky_bottom, ground, accent = PALETTES[scene]
    width, height = SIZE
    horizon = int(height * rng.uniform(0.55, 0.7))
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    _gradient(draw, sky_top, sky_bottom, horizon, width)

    x = 0
    while x < width:
        block_width = rng.randint(40, 160)
        block_height = rng.randint(20, int(height * 0.35))
        shade = tuple(max(0, c + rng.randint(-12, 12)) for c in ground)
        draw.rectangle([x, horizon - block_height, x + block_width, horizon], fill=shade)
        for _ in range(rng.randint(0, 6)):
            lx = rng.randint(x, x + block_width)
            ly = rng.randint(horizon - block_height, horizon)
            draw.rectangle([lx, ly, lx + 6, ly + 8], fill=accent)
        x += block_width + rng.randint(0, 30)

    draw.rectangle([0, horizon, width, height], fill=ground)
    for _ in range(40):
        y = rng.randint(horizon, height)
        draw.line([(rng.randint(0, width), y), (rng.randint(0, width), y)], fill=accent, width=2)

    image = image.filter(ImageFilter.GaussianBlur(1.2))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()
