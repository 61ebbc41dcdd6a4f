"""Test photos built in memory, carrying the metadata wire photos and phones carry.

Pillow writes EXIF and XMP itself. It cannot write IPTC, so `with_iptc()`
builds the APP13 segment by hand: a "Photoshop 3.0" header, one 8BIM image
resource 0x0404 holding the IPTC-IIM datasets (0x1C, record, dataset, 2-byte
length, data), inserted right after the JPEG's start-of-image marker.
"""

import io
import random
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from imaging.metadata import (
    IPTC_BYLINE,
    IPTC_CAPTION,
    IPTC_CHARSET,
    IPTC_CREDIT,
    IPTC_UTF8,
    Field,
)

# A camera serial, an owner, a phone's make and model and a GPS position: what must never leak.
CAMERA_SERIAL = "SN-4417-0092"
CAMERA_OWNER = "Jane Stringer"
GPS_LATITUDE = (51.0, 30.0, 12.34)
# What metadata is read into: the photo library's fields, as its model describes them
# (photos' tests check that it does).
PHOTO_FIELDS = {
    "title": Field("title", 255),
    "caption": Field("caption", 5000),
    "credit": Field("credit", 255),
    "photographer": Field("photographer", 255),
    "copyright_notice": Field("copyright notice", 255),
    "alt_text": Field("alt text", 300),
}


def photo_bytes(width=640, height=480, fmt="JPEG", *, exif=None, xmp=None, colour=(90, 120, 150)):
    image = Image.new("RGB", (width, height), colour)
    # A red block in the top-left corner shows where "up" is after rotation.
    image.paste((255, 0, 0), (0, 0, width // 4, height // 4))
    buffer = io.BytesIO()
    options = {}
    if exif is not None:
        options["exif"] = exif.tobytes() if isinstance(exif, Image.Exif) else exif
    if xmp is not None and fmt == "PNG":
        # Pillow's PNG writer has no xmp= option; XMP goes in an iTXt chunk.
        options["pnginfo"] = PngImagePlugin.PngInfo()
        options["pnginfo"].add_itxt("XML:com.adobe.xmp", xmp)
    elif xmp is not None:
        options["xmp"] = xmp.encode()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


# PNG colour types (IHDR) by the Pillow mode they decode to, with 8-bit samples.
PNG_COLOUR_TYPES = {"L": 0, "RGB": 2, "LA": 4, "RGBA": 6}


def flat_png(width, height, *, colour_type=6, bit_depth=8):
    """A PNG of one flat colour, written row by row: a huge frame in a few kilobytes, as a
    decompression bomb is, without holding the frame in memory to make it."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour_type]
    row_bytes = channels * bit_depth // 8 * width
    # Every row after the first repeats the one above it (PNG's "Up" filter, all zeros).
    first, same = b"\x00" + b"\xc8" * row_bytes, b"\x02" + bytes(row_bytes)
    compressor = zlib.compressobj(1)
    idat = compressor.compress(first)
    idat += b"".join(compressor.compress(same) for _ in range(height - 1)) + compressor.flush()

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"".join(
        (b"\x89PNG\r\n\x1a\n", chunk(b"IHDR", header), chunk(b"IDAT", idat), chunk(b"IEND", b""))
    )


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def iptc_datasets(fields, *, utf8=None):
    """IPTC-IIM bytes from {(record, dataset): bytes or [bytes, ...]}; utf8 declares 1:90."""
    data = b""
    if utf8:
        data += _dataset(IPTC_CHARSET, IPTC_UTF8)
    for key, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            data += _dataset(key, item)
    return data


def _dataset(key, value):
    record, number = key
    return struct.pack(">BBBH", 0x1C, record, number, len(value)) + value


def with_iptc(jpeg, iptc):
    """Inserts an APP13 Photoshop segment carrying `iptc` (IIM bytes) into a JPEG."""
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc))
    resource += iptc + (b"\x00" if len(iptc) % 2 else b"")
    payload = b"Photoshop 3.0\x00" + resource
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + segment + jpeg[2:]


def xmp_packet(*, description="", creator="", rights="", credit="", headline="", alt_text=""):
    def alt(text):
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{text}</rdf:li></rdf:Alt>'

    properties = ""
    if description:
        properties += f"<dc:description>{alt(description)}</dc:description>"
    if creator:
        properties += f"<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>"
    if rights:
        properties += f"<dc:rights>{alt(rights)}</dc:rights>"
    if alt_text:
        properties += f"<Iptc4xmpCore:AltTextAccessibility>{alt(alt_text)}"
        properties += "</Iptc4xmpCore:AltTextAccessibility>"
    attributes = ""
    if credit:
        attributes += f' photoshop:Credit="{credit}"'
    if headline:
        attributes += f' photoshop:Headline="{headline}"'
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
        'xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"'
        f"{attributes}>{properties}</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )


def camera_exif(*, orientation=None, artist="", copyright_notice="", description=""):
    """EXIF as a phone writes it: make, model, serial, owner, GPS — plus any text given."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phonemaker"
    exif[ExifTags.Base.Model] = "Pocket 12 Pro"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if artist:
        exif[ExifTags.Base.Artist] = artist
    if copyright_notice:
        exif[ExifTags.Base.Copyright] = copyright_notice
    if description:
        exif[ExifTags.Base.ImageDescription] = description
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.BodySerialNumber] = CAMERA_SERIAL
    details[ExifTags.Base.CameraOwnerName] = CAMERA_OWNER
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    return exif


def icc_profile(*, swap_red_and_blue=False, padding=0):
    """An ICC profile: sRGB as littleCMS builds it (588 bytes), optionally with its red and
    blue primaries swapped, so that stored red means blue (whether renditions apply the
    profile shows in their pixels), and `padding` bytes of a private tag, as a camera's or
    printer's lookup tables make a real profile megabytes long."""
    data = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    count = struct.unpack(">I", data[128:132])[0]
    tags = [struct.unpack(">4sII", data[132 + 12 * i : 144 + 12 * i]) for i in range(count)]
    if swap_red_and_blue:
        where = {signature: (offset, size) for signature, offset, size in tags}
        tags = [
            (signature, *where.get({b"rXYZ": b"bXYZ", b"bXYZ": b"rXYZ"}.get(signature), (o, s)))
            for signature, o, s in tags
        ]
    body = data[132 + 12 * count :]
    if padding:
        # An unregistered private tag of type "data" (binary): parsers skip it.
        private = b"data" + bytes(4) + struct.pack(">I", 1) + random.Random(0).randbytes(padding)
        tags.append((b"nwsr", len(data), len(private)))
        body += private
    # One more tag-table entry moves every tag's data 12 bytes on.
    shift = 12 * (len(tags) - count)
    table = b"".join(struct.pack(">4sII", sig, offset + shift, size) for sig, offset, size in tags)
    profile = bytearray(data[:128] + struct.pack(">I", len(tags)) + table + body)
    profile[0:4] = struct.pack(">I", len(profile))
    profile[84:100] = bytes(16)  # the profile ID (an MD5) would no longer match
    return bytes(profile)


def jpeg_with_profile(profile, width=1600, height=1000, colour=(230, 20, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG", icc_profile=profile)
    return buffer.getvalue()


def wire_file(name="wire.jpg", caption=b"Ferry at Pier 4, Monday.", credit=b"AP Photo/Ana Ruiz"):
    """A wire photo as agencies send it: caption, credit and byline in IPTC, alt text in XMP."""
    data = with_iptc(
        photo_bytes(900, 600, xmp=xmp_packet(alt_text="A white ferry at a pier.")),
        iptc_datasets({IPTC_CAPTION: caption, IPTC_CREDIT: credit, IPTC_BYLINE: b"Ana Ruiz"}),
    )
    return upload(data, name=name)
