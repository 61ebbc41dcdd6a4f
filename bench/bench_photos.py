"""`make bench-photos`: our rendition set vs bare Pillow vs sorl-thumbnail, on 24 MP JPEGs.

Run from the project folder: `python -m bench.bench_photos --count 3`. Every
contender produces the same outputs from the same files: the full frame at
2400/1600/1200/800/480 px, 16:9 crops at 1200/800/480 and a 1:1 crop at 1200,
each in every format our renditions use, with the same encoder settings. It
prints one Markdown table; docs/benchmarks.md keeps a copy with the machine.

- "Newsroom": imaging.renditions.make_renditions, plus writing every file
  through Django's storage API (what an upload or rebuild_renditions does).
- "Bare Pillow": the least work that yields those files: one draft decode,
  each width resized from the previous one, encoded to memory. No metadata,
  no hashing, no storage.
- "sorl-thumbnail": get_thumbnail() once per output, as templates call it
  (dbm key-value store, files written to storage). Its engine is subclassed
  only to pass our encoder settings, so the comparison measures the pipeline,
  not the encoder knobs.
"""

import argparse
import io
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

WORK = Path(tempfile.mkdtemp(prefix="bench-photos-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ["DJANGO_DEBUG"] = "1"
os.environ["DJANGO_MEDIA_ROOT"] = str(WORK / "media")
os.environ["PHOTO_ORIGINALS_ROOT"] = str(WORK / "originals")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.THUMBNAIL_KVSTORE = "sorl.thumbnail.kvstores.dbm_kvstore.KVStore"
settings.THUMBNAIL_DBM_FILE = str(WORK / "sorl-kvstore")
settings.THUMBNAIL_ENGINE = "bench.sorl_parity.ParityEngine"

import PIL  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from PIL import Image, ImageOps  # noqa: E402
from sorl.thumbnail import get_thumbnail  # noqa: E402

from bench.wire_photos import SIZE, wire_photo  # noqa: E402
from imaging.renditions import (  # noqa: E402
    FORMATS,
    RATIOS,
    SAVE_OPTIONS,
    WIDTHS,
    crop_box,
    make_renditions,
)

FOCAL_POINT = (0.4, 0.45)


def ours(data: bytes) -> int:
    renditions = make_renditions(
        Image.open(io.BytesIO(data)),
        focal_point=FOCAL_POINT,
        credit="Bench Wire",
        photographer="A. Photographer",
        copyright_notice="© 2026 Bench Wire",
    )
    written = 0
    for rendition in renditions:
        default_storage.save(f"ours/{rendition.name}", ContentFile(rendition.data))
        written += 1
    return written


def bare_pillow(data: bytes) -> int:
    image = Image.open(io.BytesIO(data))
    image.draft("RGB", (WIDTHS["full"][0], WIDTHS["full"][0] * image.height // image.width))
    image = ImageOps.exif_transpose(image)
    outputs = 0
    for crop, widths in WIDTHS.items():
        source = image
        box = crop_box(image.size, RATIOS[crop], FOCAL_POINT) if crop in RATIOS else None
        box = box or (0, 0, *image.size)
        for width in widths:
            # Each width from the previous one: the least resampling work.
            height = round((box[3] - box[1]) * width / (box[2] - box[0]))
            source = source.resize((width, height), Image.Resampling.LANCZOS, box=box)
            box = (0, 0, *source.size)
            for fmt in FORMATS:
                source.save(io.BytesIO(), **SAVE_OPTIONS[fmt])
                outputs += 1
    return outputs


def sorl(name: str) -> int:
    crop = f"{FOCAL_POINT[0]:.0%} {FOCAL_POINT[1]:.0%}"
    outputs = 0
    for kind, widths in WIDTHS.items():
        for width in widths:
            if kind in RATIOS:
                geometry, options = f"{width}x{round(width / RATIOS[kind])}", {"crop": crop}
            else:
                geometry, options = str(width), {}
            for fmt in FORMATS:
                thumbnail = get_thumbnail(
                    name, geometry, format=fmt.upper(), upscale=False, **options
                )
                assert thumbnail.width == width, (geometry, thumbnail.width)
                outputs += 1
    return outputs


def timed(function, argument):
    start = time.perf_counter()
    outputs = function(argument)
    return time.perf_counter() - start, outputs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5, help="How many 24 MP photos (default 5).")
    args = parser.parse_args()

    print(f"Generating {args.count} photos of {SIZE[0]}×{SIZE[1]} px…", file=sys.stderr)
    photos = [wire_photo(seed) for seed in range(args.count)]
    names = [default_storage.save(f"sources/{i}.jpg", ContentFile(d)) for i, d in enumerate(photos)]
    contenders = {
        "Newsroom renditions": lambda i: ours(photos[i]),
        "Bare Pillow (minimum)": lambda i: bare_pillow(photos[i]),
        "sorl-thumbnail 13.4": lambda i: sorl(names[i]),
    }
    times = {name: [] for name in contenders}
    outputs = {}
    for index in range(args.count):
        # Interleaved, so a busy moment on the shared machine hits every contender.
        for name, run in contenders.items():
            seconds, outputs[name] = timed(run, index)
            times[name].append(seconds)
            print(f"  photo {index + 1}: {name}: {seconds:.2f} s", file=sys.stderr)

    bare = sum(times["Bare Pillow (minimum)"])
    print(
        f"\n{args.count} JPEGs of {SIZE[0]}×{SIZE[1]} px ({len(photos[0]) / 1e6:.1f} MB each); "
        f"formats {', '.join(FORMATS)}; Pillow {PIL.__version__}, Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs ({platform.machine()})\n"
    )
    print("| Contender | Files per photo | Total (s) | Median per photo (s) | × bare Pillow |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name in contenders:
        total = sum(times[name])
        median = statistics.median(times[name])
        print(f"| {name} | {outputs[name]} | {total:.2f} | {median:.2f} | {total / bare:.2f} |")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK)
