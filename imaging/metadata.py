"""Reading the caption, credit and rights a photo file carries (IPTC, XMP, EXIF), with Pillow.

Wire agencies fill IPTC; newer tools write the same facts as XMP; phones and
cameras only EXIF. For each field the first non-empty source wins, in the
order IPTC, XMP, EXIF, which is the order of how deliberately a value was set.
Metadata that cannot be read counts as absent, and a value longer than its
field allows is cut; either way the editor is told, as of a colour profile the
renditions have to leave out. The caller names each field's label and length
limit (the photo library's model knows them; this room knows no model).
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from PIL import ExifTags, Image, IptcImagePlugin

from imaging.renditions import PROFILE_LEFT_OUT, read_exif, web_colours

# IPTC-IIM dataset numbers (record 2, application record).
IPTC_HEADLINE = (2, 105)
IPTC_CAPTION = (2, 120)
IPTC_BYLINE = (2, 80)
IPTC_CREDIT = (2, 110)
IPTC_COPYRIGHT = (2, 116)
IPTC_CHARSET = (1, 90)
# ISO 2022 escape sequence IPTC uses to declare UTF-8.
IPTC_UTF8 = b"\x1b%G"

DC = "{http://purl.org/dc/elements/1.1/}"
PHOTOSHOP = "{http://ns.adobe.com/photoshop/1.0/}"
IPTC_CORE = "{http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Field -> where each source keeps it.
SOURCES = {
    "title": {"iptc": IPTC_HEADLINE, "xmp": PHOTOSHOP + "Headline"},
    "caption": {
        "iptc": IPTC_CAPTION,
        "xmp": DC + "description",
        "exif": ExifTags.Base.ImageDescription,
    },
    "credit": {"iptc": IPTC_CREDIT, "xmp": PHOTOSHOP + "Credit"},
    "photographer": {"iptc": IPTC_BYLINE, "xmp": DC + "creator", "exif": ExifTags.Base.Artist},
    "copyright_notice": {
        "iptc": IPTC_COPYRIGHT,
        "xmp": DC + "rights",
        "exif": ExifTags.Base.Copyright,
    },
    "alt_text": {"xmp": IPTC_CORE + "AltTextAccessibility"},
}


@dataclass(frozen=True)
class Field:
    """A field the metadata is read into: its name in the editor's words, and the most
    characters it takes."""

    label: str
    max_length: int


@dataclass(frozen=True)
class FileMetadata:
    """What a file's metadata fills in, and what could not be taken from it as it was."""

    # Field -> value, each within the field's length limit; empty ones omitted.
    fields: dict[str, str]
    # The fields read into, for the notices' words.
    into: Mapping[str, Field] = field(repr=False)
    # What in the file could not be used (a metadata block, the colour profile), in words.
    problems: tuple[str, ...] = ()
    # The fields whose value from the file was longer than the field allows, and was cut.
    cut: tuple[str, ...] = ()

    def notices(self, *, used: Collection[str]) -> list[str]:
        """What to tell the editor, given the fields the file's values were `used` for."""
        notices = list(self.problems)
        notices += [
            f"The {self.into[name].label} from the file was cut to "
            f"{self.into[name].max_length:,} characters."
            for name in self.cut
            if name in used
        ]
        return notices


def read_metadata(image: Image.Image, *, into: Mapping[str, Field]) -> FileMetadata:
    """The fields the file fills, e.g. {"caption": "…", "credit": "…"}, and its problems.

    `into` describes every field of SOURCES, as the model the values go to has it.
    """
    blocks, problems = {}, []
    for block, read in (("iptc", _iptc), ("xmp", _xmp), ("exif", _exif)):
        try:
            blocks[block] = read(image)
        except Exception:
            # Pillow's parsers and ours meet whatever a camera, an editing tool or
            # an attacker wrote, and fail in as many ways (SyntaxError, OSError,
            # defusedxml's EntitiesForbidden, AttributeError on odd shapes…). A
            # block that cannot be read is treated as absent, never as a 500.
            blocks[block] = {}
            problems.append(
                f"The file's {block.upper()} metadata could not be read and was ignored."
            )
    if not web_colours(image).usable:
        problems.append(PROFILE_LEFT_OUT)
    found, cut = {}, []
    for name, where in SOURCES.items():
        candidates = (blocks[block].get(where.get(block)) for block in blocks)
        value = next((text.strip() for text in candidates if text and text.strip()), "")
        limit = into[name].max_length
        if len(value) > limit:
            value = value[:limit].rstrip()
            cut.append(name)
        if value:
            found[name] = value
    return FileMetadata(fields=found, into=into, problems=tuple(problems), cut=tuple(cut))


def _iptc(image: Image.Image) -> dict[tuple[int, int], str]:
    raw = IptcImagePlugin.getiptcinfo(image) or {}
    charset = raw.get(IPTC_CHARSET)
    encodings = ["utf-8"] if charset == IPTC_UTF8 else ["utf-8", "latin-1"]
    return {key: _decode_iptc(value, encodings) for key, value in raw.items() if key[0] == 2}


def _decode_iptc(value: bytes | list[bytes], encodings: list[str]) -> str:
    # Repeated datasets (several by-lines) come as a list.
    parts = value if isinstance(value, list) else [value]
    return ", ".join(_decode(part, encodings) for part in parts)


def _decode(data: bytes, encodings: list[str]) -> str:
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # A declared UTF-8 block with a stray byte: keep what is readable.
    return data.decode("utf-8", errors="replace")


def _xmp(image: Image.Image) -> dict[str, str]:
    """The rdf:Description properties as plain text, keyed by {namespace}name."""
    tree = image.getxmp(strip_namespaces=False)
    meta = next(iter(tree.values()), None) or {}
    rdf = meta.get(RDF + "RDF") if isinstance(meta, dict) else None
    descriptions = rdf.get(RDF + "Description", []) if isinstance(rdf, dict) else []
    if isinstance(descriptions, dict):
        descriptions = [descriptions]
    properties = {}
    for description in descriptions:
        if isinstance(description, dict):
            for key, value in description.items():
                properties.setdefault(key, _xmp_text(value))
    return properties


def _xmp_text(value) -> str:
    """Flattens an XMP value: a string, a language alternative, or a list (Seq/Bag)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(filter(None, map(_xmp_text, value)))
    if RDF + "Alt" in value:
        items = value[RDF + "Alt"].get(RDF + "li", [])
        items = items if isinstance(items, list) else [items]
        default = [i for i in items if isinstance(i, dict) and i.get(XML_LANG) == "x-default"]
        return _xmp_text((default or items or [None])[0])
    for container in ("Seq", "Bag"):
        if RDF + container in value:
            return _xmp_text(value[RDF + container].get(RDF + "li"))
    return value.get("text", "")


def _exif(image: Image.Image) -> dict[int, str]:
    return {tag: _exif_text(value) for tag, value in read_exif(image).items()}


def _exif_text(value) -> str:
    if isinstance(value, bytes):
        return _decode(value.rstrip(b"\x00"), ["utf-8", "latin-1"])
    return value if isinstance(value, str) else ""
