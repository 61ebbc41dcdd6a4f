"""Making the public files of a photo: every width and crop, in every web format, in one pass.

The original is decoded once, at the smallest JPEG draft scale that still
covers the largest rendition; each smaller width is resized from the next
larger one, and each fixed-ratio crop from the smallest full-frame step big
enough for it. Only the credit, the rights and the colour profile are
written into the files: the original's EXIF (GPS position, camera serial,
owner) is never copied.
"""

import hashlib
import io
import math
import unicodedata
import warnings
from dataclasses import dataclass
from xml.sax.saxutils import escape

from PIL import ExifTags, Image, features

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


def read_exif(image: Image.Image) -> Image.Exif:
    """The image's EXIF; raises, every time it is asked, when the EXIF cannot be read.

    Pillow only warns of EXIF it can read in part, and remembers a failed read
    as an empty one, so the raw block is parsed afresh here.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        if "exif" in image.info:
            Image.Exif().load(image.info["exif"])
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
) -> list[Rendition]:
    """Every rendition of an opened (not yet decoded) image, encoded and ready to store."""
    base = _decode_upright(image)
    full = _cascade(base, WIDTHS["full"], box=None)
    sized = [("full", step) for step in full]
    for crop, ratio in RATIOS.items():
        source, box = _crop_source([base, *full], ratio, focal_point, max(WIDTHS[crop]))
        sized += [(crop, step) for step in _cascade(source, WIDTHS[crop], box=box)]
    metadata = {
        **_rights_metadata(credit, photographer, copyright_notice),
        # The colour profile is not about the camera or the place; without it
        # Adobe RGB wire photos would look washed out.
        "icc_profile": image.info.get("icc_profile"),
    }
    return [
        Rendition(crop, fmt, step.width, step.height, _encode(step, fmt, metadata))
        for crop, step in sized
        for fmt in FORMATS
    ]


def _decode_upright(image: Image.Image) -> Image.Image:
    width, height = oriented_size(image)
    largest = min(WIDTHS["full"][0], width)
    # Also keep the short side big enough for the largest square crop.
    square = min(WIDTHS["1x1"][0], width, height)
    scale = max(largest / width, square / min(width, height))
    wanted = (math.ceil(width * scale), math.ceil(height * scale))
    if oriented_size(image) != image.size:
        wanted = wanted[::-1]
    # JPEG decodes at 1/2, 1/4 or 1/8 scale directly: far less work than full size.
    image.draft("RGB", wanted)
    orientation = exif_orientation(image)
    upright = image.transpose(UPRIGHT[orientation]) if orientation in UPRIGHT else image
    if upright.mode == "RGB":
        return upright
    if upright.mode in ("RGBA", "LA", "P", "PA"):
        # Transparent pixels become white, as on the page behind them.
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return upright.convert("RGB")


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
    return {"exif": exif.tobytes(), "xmp": xmp.encode()}


def _ascii(text: str) -> str:
    """EXIF text is ASCII by the standard; XMP carries the exact Unicode spelling."""
    text = text.replace("©", "(c)")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _encode(image: Image.Image, fmt: str, metadata: dict) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, **metadata, **SAVE_OPTIONS[fmt])
    return buffer.getvalue()
