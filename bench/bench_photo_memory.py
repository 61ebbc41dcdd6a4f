"""`make bench-photo-memory`: peak memory of an upload's image work, for the largest files.

Run from the project folder: `python -m bench.bench_photo_memory`. For each
case it writes one file of the largest size the upload checks accept
(`imaging.uploads.pixel_limit()`, at most Pillow's limit; `--at-pillow-limit`
writes every file at Pillow's limit instead, as before the budget), then
runs what an upload and its renditions job do with it — `open_upload()` (the checks),
`Photo.metadata_of()` and `make_renditions()` (decode, every width, every
format) — in a fresh Python process, and reads that process's peak resident
memory from the kernel (`os.wait4`). A process that only sets Django up gives
the baseline the work adds to. A refused file shows its refusal, and the
memory the refusal took.

It prints one Markdown table; docs/benchmarks.md keeps a copy with the machine.
"""

import argparse
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def set_up_django(work: Path) -> None:
    """Only the measured processes set Django up and hold images: a child's peak counts the
    memory of the process it was started from, so that one stays small."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["DJANGO_DEBUG"] = "1"
    os.environ["DJANGO_MEDIA_ROOT"] = str(work / "media")
    os.environ["PHOTO_ORIGINALS_ROOT"] = str(work / "originals")
    import django

    django.setup()


# Label -> (format, how the file is made, width:height). PNGs are written row by
# row (imaging.tests.images.flat_png), the others with Pillow from a flat frame.
CASES = {
    "JPEG, baseline": ("JPEG", {"quality": 90}, 3 / 2),
    "JPEG, baseline, 44:1 panorama": ("JPEG", {"quality": 90}, 44),
    "JPEG, progressive": ("JPEG", {"quality": 90, "progressive": True}, 3 / 2),
    "JPEG, progressive 4:4:4": (
        "JPEG",
        {"quality": 90, "progressive": True, "subsampling": 0},
        3 / 2,
    ),
    "PNG, RGB 8-bit": ("PNG", {"colour_type": 2}, 3 / 2),
    "PNG, RGBA 8-bit": ("PNG", {"colour_type": 6}, 3 / 2),
    "PNG, RGBA 8-bit, 44:1 panorama": ("PNG", {"colour_type": 6}, 44),
    "PNG, RGBA 16-bit": ("PNG", {"colour_type": 6, "bit_depth": 16}, 3 / 2),
    "PNG, grey 16-bit": ("PNG", {"colour_type": 0, "bit_depth": 16}, 3 / 2),
    "WebP, RGB": ("WEBP", {"quality": 80, "method": 0}, 3 / 2),
    "WebP, RGBA": ("WEBP", {"quality": 80, "method": 0, "alpha": True}, 3 / 2),
}


def frame(pixels: int, aspect: float) -> tuple[int, int]:
    """The largest frame of that shape with at most that many pixels."""
    width = int((pixels * aspect) ** 0.5)
    return width, pixels // width


def encoded(label: str, size: tuple[int, int]) -> bytes:
    """The case's file at that size: one flat colour and a shape, tiny on disk as a bomb is."""
    from PIL import Image, ImageDraw

    from imaging.tests.images import flat_png

    fmt, options, _ = CASES[label]
    if fmt == "PNG":
        return flat_png(*size, **options)
    options = dict(options)
    mode = "RGBA" if options.pop("alpha", False) else "RGB"
    image = Image.new(mode, size, (90, 120, 150, 200)[: len(mode)])
    box = [size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2]
    ImageDraw.Draw(image).ellipse(box, fill=(200, 40, 40, 255)[: len(mode)])
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def write(label: str, path: Path, at_pillow_limit: bool) -> dict:
    """Writes the case's file, as large as the upload checks accept (or Pillow's limit)."""
    from PIL import Image

    from imaging.uploads import pixel_limit

    pixels = Image.MAX_IMAGE_PIXELS
    # The limit of a kind of file can depend on its size (a JPEG's draft scale):
    # shrink to the limit of the file at hand until the file is within it.
    while True:
        size = frame(pixels, CASES[label][2])
        data = encoded(label, size)
        if at_pillow_limit:
            break
        with Image.open(io.BytesIO(data)) as written:
            limit = pixel_limit(written)
        if size[0] * size[1] <= limit:
            break
        pixels = limit
    path.write_bytes(data)
    return {"size": size, "bytes": len(data)}


def upload_work(path: Path | None) -> dict:
    """What an upload and its job do with the file, short of the database: check, metadata,
    renditions."""
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from imaging.renditions import make_renditions
    from imaging.uploads import open_upload
    from photos.models import Photo

    if path is None:
        return {"outcome": "baseline"}
    file = SimpleUploadedFile(path.name, path.read_bytes())
    try:
        image = open_upload(file)
        Photo.metadata_of(image)
        # One at a time, as the renditions job stores them.
        renditions = sum(1 for _ in make_renditions(image, credit="Bench"))
    except ValidationError as error:
        return {"outcome": "refused: " + " ".join(error.messages)}
    return {"outcome": f"accepted, {renditions} renditions"}


def in_child(*arguments: str) -> dict:
    """Runs this script with the arguments in a new process: its JSON answer, peak RSS, time."""
    command = [sys.executable, "-m", "bench.bench_photo_memory", *arguments]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    if status:
        raise SystemExit(f"{' '.join(arguments)} failed (wait status {status})")
    # ru_maxrss is in kilobytes on Linux.
    peak = usage.ru_maxrss / 1024
    return {**json.loads(output), "peak_mb": peak, "seconds": time.perf_counter() - start}


def child(arguments) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-photo-memory-"))
    try:
        set_up_django(work)
        if arguments.write:
            label, path = arguments.write
            answer = write(label, Path(path), arguments.at_pillow_limit)
        else:
            answer = upload_work(Path(arguments.measure) if arguments.measure else None)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(answer))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="Run only the cases whose label contains this text.")
    parser.add_argument(
        "--at-pillow-limit",
        action="store_true",
        help="Make every file as large as Pillow's own limit allows, not our budget.",
    )
    parser.add_argument("--write", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--measure", nargs="?", const="", default=None, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.write or arguments.measure is not None:
        child(arguments)
        return

    import PIL

    baseline = in_child("--measure")["peak_mb"]
    work = Path(tempfile.mkdtemp(prefix="bench-photo-memory-files-"))
    rows = []
    try:
        for label, (fmt, _, _) in CASES.items():
            if arguments.only and arguments.only.lower() not in label.lower():
                continue
            path = work / f"case.{fmt.lower()}"
            limit = ["--at-pillow-limit"] if arguments.at_pillow_limit else []
            print(f"  {label}: writing…", file=sys.stderr)
            written = in_child("--write", label, str(path), *limit)
            result = in_child("--measure", str(path))
            print(f"  {label}: {result['peak_mb']:.0f} MB, {result['outcome']}", file=sys.stderr)
            rows.append((label, written, result))
            path.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"\nPillow {PIL.__version__}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs ({platform.machine()}); baseline (a process that only sets "
        f"Django up): {baseline:.0f} MB\n"
    )
    print("| File | Pixels | On disk | Outcome | Peak RSS (MB) | Above baseline (MB) | Time (s) |")
    print("| --- | ---: | ---: | --- | ---: | ---: | ---: |")
    for label, written, result in rows:
        width, height = written["size"]
        print(
            f"| {label} | {width}×{height} ({width * height / 1e6:.1f} MP) | "
            f"{written['bytes'] / 1e6:.1f} MB | {result['outcome']} | {result['peak_mb']:.0f} | "
            f"{result['peak_mb'] - baseline:.0f} | {result['seconds']:.1f} |"
        )


if __name__ == "__main__":
    main()
