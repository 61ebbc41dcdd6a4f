"""Making the public files of a photo: every width and crop, in every web format, in one pass.

The original is decoded once, at the smallest JPEG draft scale that still
covers the largest rendition; each smaller width is resized from the next
larger one, and each fixed-ratio crop from the smallest full-frame step big
enough for it. Only the credit, the rights and a small colour profile are
written into the files (a large profile is applied to the pixels instead):
the original's EXIF (GPS position, camera serial, owner) is never copied.
"""

import hashlib
import io
import math
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape

from PIL import ExifTags, Image, ImageCms, features

# Widths by crop: "full" keeps the photo's own shape; the others are cut
# around the focal point (16:9 for story cards, 1:1 for social previews).
WIDTHS = {
    "full": (2400, 1600, 1200, 800, 480),
    "16x9": (1200, 800, 480),
    "1x1": (1200,),
}
RATIOS = {"16x9": 16 / 9, "1x1": 1.0}

# Newest format first: a <picture> offers them in this order.
FORMATS = ("avif", "webp", "jpeg") if features.check("avif") else ("webp", "jpeg")
MIME_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}
# Encoder settings chosen on 24 MP wire photos (docs/benchmarks.md): visually
# clean at phone and desktop sizes; WebP's method and AVIF's speed trade
# encode time for a few per cent of size.
SAVE_OPTIONS = {
    "avif": {"format": "AVIF", "quality": 60, "speed": 8},
    "webp": {"format": "WEBP", "quality": 80, "method": 3},
    "jpeg": {"format": "JPEG", "quality": 82, "progressive": True},
}
# EXIF orientation -> the transposition that shows the stored pixels upright.
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
ROTATED_ORIENTATIONS = {5, 6, 7, 8}
# Author portraits show as 120-pixel circles; 360 pixels stay sharp at 3 device pixels a pixel.
PORTRAIT_SIDE = 360
# Modes the renditions are resized in; any other is converted to one of them first.
BASE_MODES = ("L", "RGB", "CMYK")
# A colour profile of up to this many bytes is written into every rendition as
# the file had it, and browsers apply it. Profiles of working spaces are a
# matrix and three curves: sRGB IEC61966-2.1 is 3,144 bytes, Adobe RGB (1998)
# 560, Display P3 536. Past a few kilobytes a profile carries lookup tables (a
# camera's, scanner's or printer's, up to megabytes) that would outweigh the
# smaller renditions themselves: such photos are converted to sRGB, the web's
# own colour space, and carry no profile.
KEEP_PROFILE_BYTES = 4096
SRGB = ImageCms.createProfile("sRGB")
PROFILE_LEFT_OUT = (
    "The file's colour profile could not be used and was left out: its colours may look "
    "slightly different on the site."
)
# Pixels of the frame converted at a time when it is in another mode (16 MB in RGBA).
STRIP_PIXELS = 4_000_000
# What Pillow holds per pixel of an image, by mode; four bytes for the others.
PILLOW_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2}
# libwebp decodes into a canvas of its own, allocated as soon as Pillow opens
# the file; Pillow copies the frame out of it, then into the image: three
# buffers of 4 bytes a pixel.
WEBP_DECODE_BYTES_PER_PIXEL = 12


@dataclass(frozen=True)
class Rendition:
    crop: str
    format: str
    width: int
    height: int
    data: bytes

    @property
    def name(self) -> str:
        """Derived from the content, so a URL never changes meaning (safe to cache forever)."""
        digest = hashlib.sha256(self.data).hexdigest()[:16]
        return f"{self.crop}-{self.width}w-{digest}.{self.format}"


@dataclass(frozen=True)
class WebColours:
    """How a photo's renditions show its colours right on the web."""

    # Written into every rendition, as the file had it.
    profile: bytes | None = None
    # Applied to every rendition's pixels, from the file's profile to sRGB.
    transform: ImageCms.ImageCmsTransform | None = None
    # False when the file's profile could not be used and was left out.
    usable: bool = True


def web_colours(image: Image.Image) -> WebColours:
    """Keeps a small RGB colour profile, converts from any other to sRGB; one that cannot be
    read, or does not fit the pixels (a CMYK profile in an RGB file), is left out."""
    profile = image.info.get("icc_profile")
    if not profile:
        return WebColours()
    mode = base_mode(image.mode)
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        if (
            mode == "RGB"
            and source.profile.xcolor_space == "RGB "
            and len(profile) <= KEEP_PROFILE_BYTES
        ):
            return WebColours(profile=profile)
        return WebColours(transform=ImageCms.buildTransform(source, SRGB, mode, "RGB"))
    except (OSError, ImageCms.PyCMSError):
        return WebColours(usable=False)


def read_exif(image: Image.Image) -> Image.Exif:
    """The image's EXIF; raises, every time it is asked, when the EXIF cannot be read.

    Pillow only warns of EXIF it can read in part, and remembers a failed read
    as an empty one, so the raw block is parsed afresh here. A PNG's EXIF is
    the block found before its pixels: Pillow would decode the whole frame to
    look for one after them, before the upload checks could refuse the file.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        if "exif" in image.info:
            Image.Exif().load(image.info["exif"])
        elif image.format == "PNG":
            return Image.Exif()
        return image.getexif()


def exif_orientation(image: Image.Image) -> int:
    """The EXIF orientation; 1 (as stored) when there is none or it cannot be read."""
    try:
        return read_exif(image).get(ExifTags.Base.Orientation, 1)
    except Exception:
        # Unreadable EXIF is ignored (read_metadata() tells the editor so).
        return 1


def oriented_size(image: Image.Image) -> tuple[int, int]:
    """The size as seen, after the EXIF orientation (phones store portraits sideways)."""
    width, height = image.size
    if exif_orientation(image) in ROTATED_ORIENTATIONS:
        return height, width
    return width, height


def make_renditions(
    image: Image.Image,
    *,
    focal_point: tuple[float, float] = (0.5, 0.5),
    credit: str = "",
    photographer: str = "",
    copyright_notice: str = "",
) -> Iterator[Rendition]:
    """Every rendition of an opened (not yet decoded) image, encoded and ready to store, each
    as soon as it is encoded (a job stores it while the next one is made)."""
    colours = web_colours(image)
    base = _decode_upright(image, _wanted_size(image))
    full = _cascade(base, WIDTHS["full"], box=None)
    sized = [("full", step) for step in full]
    for crop, ratio in RATIOS.items():
        source, box = _crop_source([base, *full], ratio, focal_point, max(WIDTHS[crop]))
        sized += [(crop, step) for step in _cascade(source, WIDTHS[crop], box=box)]
    metadata = _published_metadata(colours, credit, photographer, copyright_notice)
    for crop, step in sized:
        shown = _in_web_colours(step, colours)
        for fmt in FORMATS:
            yield Rendition(crop, fmt, step.width, step.height, _encode(shown, fmt, metadata))


def make_portrait(
    image: Image.Image, *, credit: str = "", photographer: str = "", copyright_notice: str = ""
) -> Rendition:
    """A person's portrait from an opened (not yet decoded) image: upright, the centred square
    the author page shows of it, at most PORTRAIT_SIDE pixels, as a JPEG that carries the
    credit and the rights and nothing else of the file."""
    colours = web_colours(image)
    base = _decode_upright(image, _wanted_size(image, width=0, square=PORTRAIT_SIDE))
    side = min(PORTRAIT_SIDE, *base.size)
    box = crop_box(base.size, 1.0, (0.5, 0.5))
    square = base.resize((side, side), Image.Resampling.LANCZOS, box=box, reducing_gap=2.0)
    metadata = _published_metadata(colours, credit, photographer, copyright_notice)
    data = _encode(_in_web_colours(square, colours), "jpeg", metadata)
    return Rendition("portrait", "jpeg", side, side, data)


def _in_web_colours(image: Image.Image, colours: WebColours) -> Image.Image:
    if colours.transform is not None:
        return ImageCms.applyTransform(image, colours.transform)
    return image if image.mode == "RGB" else image.convert("RGB")


def decode_bytes(image: Image.Image) -> float:
    """The memory make_renditions() holds for an opened image's pixels before it encodes
    anything: the decoded frame (with libjpeg's or libwebp's own buffers), and, for a
    frame in a mode renditions are not made in, its converted copy at the size they need."""
    width, height = decoded_size(image)
    if image.format == "WEBP":
        held = WEBP_DECODE_BYTES_PER_PIXEL * width * height
    else:
        held = PILLOW_BYTES_PER_PIXEL.get(image.mode, 4) * width * height
    if image.format == "JPEG" and image.info.get("progressive"):
        # libjpeg keeps every DCT coefficient (2 bytes a sample) of a progressive
        # file until its last scan, at any draft scale; subsampled colour
        # components (4:2:0 and the like) have fewer samples than pixels.
        layers = image.layer
        most = max(h for _, h, _, _ in layers) * max(v for _, _, v, _ in layers)
        samples = sum(h * v for _, h, v, _ in layers) / most * image.width * image.height
        held += 2 * samples
    if image.mode not in BASE_MODES:
        wanted_width, wanted_height = _wanted_size(image)
        held += 4 * wanted_width * wanted_height
    return held


def decoded_size(image: Image.Image) -> tuple[int, int]:
    """The size make_renditions() decodes an opened image at: a JPEG at the draft scale
    Pillow picks for the size the renditions need (1/8, 1/4, 1/2 or whole), others whole."""
    if image.format != "JPEG":
        return image.size
    wanted = _wanted_size(image)
    ratio = min(image.width // wanted[0], image.height // wanted[1])
    scale = next(scale for scale in (8, 4, 2, 1) if ratio >= scale)
    return -(-image.width // scale), -(-image.height // scale)


def _wanted_size(
    image: Image.Image, *, width: int = WIDTHS["full"][0], square: int = WIDTHS["1x1"][0]
) -> tuple[int, int]:
    """The smallest size, as stored, that still gives the full frame `width` pixels wide and
    a square crop `square` pixels on a side (each at most what the image has)."""
    seen_width, seen_height = oriented_size(image)
    largest = min(width, seen_width)
    side = min(square, seen_width, seen_height)
    scale = max(largest / seen_width, side / min(seen_width, seen_height))
    wanted = (math.ceil(seen_width * scale), math.ceil(seen_height * scale))
    return wanted[::-1] if (seen_width, seen_height) != image.size else wanted


def _decode_upright(image: Image.Image, wanted: tuple[int, int]) -> Image.Image:
    """The image decoded once, upright, at least `wanted` (as stored), in L, RGB or CMYK
    (their colours go to RGB only at the end, one small rendition at a time)."""
    # JPEG decodes at 1/2, 1/4 or 1/8 scale directly: far less work than full size.
    image.draft("RGB", wanted)
    # Other formats decode at full size. A frame already in a mode the renditions
    # are made in is resized as it is (Pillow reduces by whole factors first,
    # into a smaller image); any other is converted strip by strip while it is
    # reduced, never as a second full-size copy (see docs/benchmarks.md).
    base = image if image.mode in BASE_MODES else flattened_in_strips(image, wanted)
    orientation = exif_orientation(image)
    return base.transpose(UPRIGHT[orientation]) if orientation in UPRIGHT else base


def base_mode(mode: str) -> str:
    """The mode renditions of an image in `mode` are made in: L, RGB or CMYK."""
    if mode in BASE_MODES:
        return mode
    return "L" if mode in ("1", "LA") or mode.startswith("I;16") else "RGB"


def flattened(image: Image.Image) -> Image.Image:
    """The image in its base_mode(): transparency on white, as on the page behind it, and
    16-bit grey as 8-bit grey."""
    mode = base_mode(image.mode)
    if image.mode == mode:
        return image
    if image.mode in ("RGBA", "PA", "P", "LA"):
        source = image if image.mode == "LA" else image.convert("RGBA")
        flat = Image.new(mode, image.size, "white")
        # An image with alpha is its own mask: no separate copy of the alpha band.
        flat.paste(source, mask=source)
        return flat
    if image.mode.startswith("I;16"):
        return image.convert("I").point(lambda value: value / 256).convert("L")
    return image.convert(mode)


def flattened_in_strips(
    image: Image.Image, size: tuple[int, int], *, strip_pixels: int = STRIP_PIXELS
) -> Image.Image:
    """flattened(image) resized to `size` with LANCZOS, across then down, made a strip of
    rows at a time: only a strip of the frame is ever held in the new mode, and the result
    is the same whatever the strips (each pass gives every row or column what a pass over
    the whole frame would)."""
    width, height = size
    scale = image.height / height
    # LANCZOS weighs the source rows within 3 output rows of each one.
    margin = math.ceil(3 * max(scale, 1.0)) + 1
    rows = max(1, int(strip_pixels / image.width / scale))
    result = None
    for top in range(0, height, rows):
        bottom = min(top + rows, height)
        source_top = max(0, math.floor(top * scale) - margin)
        source_bottom = min(image.height, math.ceil(bottom * scale) + margin)
        strip = flattened(image.crop((0, source_top, image.width, source_bottom)))
        across = strip.resize((width, strip.height), Image.Resampling.LANCZOS)
        box = (0, top * scale - source_top, width, bottom * scale - source_top)
        part = across.resize((width, bottom - top), Image.Resampling.LANCZOS, box=box)
        if result is None:
            result = Image.new(part.mode, size)
        result.paste(part, (0, top))
    return result


def _cascade(source: Image.Image, widths, *, box) -> list[Image.Image]:
    """Resizes to each width (largest first), each from the previous result; never upscales."""
    box = box or (0, 0, *source.size)
    box_width, box_height = box[2] - box[0], box[3] - box[1]
    fitting = [w for w in widths if w <= box_width] or [round(box_width)]
    results = []
    current, current_box = source, box
    for width in fitting:
        height = max(1, round(box_height * width / box_width))
        # reducing_gap lets Pillow reduce() by whole factors before the LANCZOS pass.
        current = current.resize(
            (width, height), Image.Resampling.LANCZOS, box=current_box, reducing_gap=2.0
        )
        current_box = None
        results.append(current)
    return results


def _crop_source(steps, ratio, focal_point, largest_width):
    """The smallest decoded step that still gives the crop's largest width, and the crop box."""
    for step in reversed(steps):
        box = crop_box(step.size, ratio, focal_point)
        if box[2] - box[0] >= largest_width or step is steps[0]:
            return step, box
    raise AssertionError("unreachable: steps[0] always matches")


def crop_box(size, ratio, focal_point) -> tuple[float, float, float, float]:
    """The largest box of `ratio` inside `size`, centred on the focal point as far as it fits."""
    width, height = size
    crop_width, crop_height = (
        (height * ratio, height) if width / height > ratio else (width, width / ratio)
    )
    fx, fy = focal_point
    left = min(max(fx * width - crop_width / 2, 0), width - crop_width)
    top = min(max(fy * height - crop_height / 2, 0), height - crop_height)
    return (left, top, left + crop_width, top + crop_height)


def _published_metadata(colours: WebColours, credit, photographer, copyright_notice) -> dict:
    return {
        **_rights_metadata(credit, photographer, copyright_notice),
        # The colour profile is not about the camera or the place; without it
        # Adobe RGB wire photos would look washed out.
        "icc_profile": colours.profile,
    }


def _rights_metadata(credit, photographer, copyright_notice) -> dict[str, bytes]:
    """EXIF Artist/Copyright and an XMP packet with credit, creator and rights (nothing else)."""
    exif = Image.Exif()
    if photographer or credit:
        exif[ExifTags.Base.Artist] = _ascii(photographer or credit)
    if copyright_notice or credit:
        exif[ExifTags.Base.Copyright] = _ascii(copyright_notice or credit)
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
        f"<photoshop:Credit>{escape(credit)}</photoshop:Credit>"
        f"<dc:creator><rdf:Seq><rdf:li>{escape(photographer)}</rdf:li></rdf:Seq></dc:creator>"
        '<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">'
        f"{escape(copyright_notice)}</rdf:li></rdf:Alt></dc:rights>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    # Pillow writes a JPEG's own comment (COM) into its copies unless given another.
    return {"exif": exif.tobytes(), "xmp": xmp.encode(), "comment": b""}


def _ascii(text: str) -> str:
    """EXIF text is ASCII by the standard; XMP carries the exact Unicode spelling."""
    text = text.replace("©", "(c)")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _encode(image: Image.Image, fmt: str, metadata: dict) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, **metadata, **SAVE_OPTIONS[fmt])
    return buffer.getvalue()
