"""Stand-in pictures and portraits for the demo, drawn with Pillow: no photo ships in git."""

import hashlib
import io
import random

from PIL import Image, ImageDraw

PALETTES = [
    ((28, 45, 84), (214, 126, 74)),
    ((18, 66, 62), (230, 196, 120)),
    ((72, 24, 40), (240, 168, 120)),
    ((30, 30, 36), (150, 170, 190)),
    ((40, 70, 110), (236, 226, 200)),
    ((60, 50, 30), (200, 150, 90)),
]


def demo_picture(seed_text: str, *, size: tuple[int, int] = (1600, 900)) -> bytes:
    """A JPEG landscape-like picture, the same every time for the same text."""
    seed = int(hashlib.sha256(seed_text.encode()).hexdigest()[:12], 16)
    rng = random.Random(seed)
    top, bottom = PALETTES[seed % len(PALETTES)]
    width, height = size

    gradient = Image.linear_gradient("L").resize(size)
    image = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), gradient)
    draw = ImageDraw.Draw(image, "RGBA")

    unit = width / 1600  # shapes are drawn for 1600 px and scaled to the size asked for
    sun_x = rng.randint(width // 8, width - width // 8)
    sun_y = rng.randint(height // 8, height // 2)
    sun_r = int(rng.randint(60, 140) * unit)
    draw.ellipse(
        (sun_x - sun_r, sun_y - sun_r, sun_x + sun_r, sun_y + sun_r), fill=(255, 236, 200, 150)
    )

    # Three bands of hills or skyline, darker towards the viewer.
    for layer in range(3):
        base = int(height * (0.55 + 0.13 * layer))
        shade = tuple(max(0, int(c * (0.8 - 0.25 * layer))) for c in top)
        if rng.random() < 0.5:
            points, x = [(0, height)], 0
            while x < width:
                w = max(1, int(rng.randint(40, 140) * unit))
                h = int(rng.randint(40, 220 - 50 * layer) * unit)
                points += [(x, base - h), (x + w, base - h)]
                x += w
            points += [(width, height)]
        else:
            points = (
                [(0, height)]
                + [
                    (x, base - int(rng.uniform(0, 90) * unit))
                    for x in range(0, width + int(200 * unit), max(1, int(200 * unit)))
                ]
                + [(width, height)]
            )
        draw.polygon(points, fill=(*shade, 235))

    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80, progressive=True)
    return buffer.getvalue()


def demo_portrait(seed_text: str, *, side: int = 800) -> bytes:
    """A JPEG head-and-shoulders silhouette for a byline, the same every time for the
    same name: square, with the face in the upper third, where portraits have it."""
    seed = int(hashlib.sha256(seed_text.encode()).hexdigest()[:12], 16)
    background, figure = PALETTES[seed % len(PALETTES)]
    size = (side, side)
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.composite(
        Image.new("RGB", size, figure), Image.new("RGB", size, background), gradient
    )
    draw = ImageDraw.Draw(image)
    shade = tuple(int(c * 0.35) for c in background)
    head = side // 6
    middle = side // 2 + (seed % 7 - 3) * side // 80  # not every face in the same place
    draw.ellipse(
        (middle - head, side // 3 - head, middle + head, side // 3 + head * 6 // 5), fill=shade
    )
    draw.ellipse((middle - side // 3, side * 3 // 5, middle + side // 3, side * 3 // 2), fill=shade)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()
