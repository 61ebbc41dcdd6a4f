"""The benchmarks' 24 MP test photos: photo-like detail, made from a seed."""

import io
import random

from PIL import Image, ImageDraw, ImageFilter

SIZE = (6000, 4000)  # 24 megapixels, a current full-frame camera


def wire_photo(seed: int) -> bytes:
    """A 24 MP JPEG with photo-like detail (gradients, shapes, grain), as a camera saves it."""
    rng = random.Random(seed)
    small = Image.new("RGB", (600, 400))
    draw = ImageDraw.Draw(small)
    for _ in range(120):
        x, y = rng.randrange(600), rng.randrange(400)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse([x, y, x + rng.randrange(20, 200), y + rng.randrange(20, 150)], fill=colour)
    image = small.resize(SIZE, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(3))
    grain = Image.effect_noise(SIZE, 24).convert("RGB")
    image = Image.blend(image, grain, 0.12)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()
