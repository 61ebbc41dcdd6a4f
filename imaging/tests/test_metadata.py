import pytest

from imaging.metadata import (
    IPTC_BYLINE,
    IPTC_CAPTION,
    IPTC_COPYRIGHT,
    IPTC_CREDIT,
    IPTC_HEADLINE,
    read_metadata,
)
from imaging.uploads import open_upload

from .images import (
    PHOTO_FIELDS,
    camera_exif,
    iptc_datasets,
    photo_bytes,
    upload,
    with_iptc,
    xmp_packet,
)

WIRE_CAPTION = (
    "Fishermen haul nets at first light on the quay at Lantern Row, where the cod quota was cut "
    "by a third this spring. "
) * 20  # a wire caption of well over 2,000 characters


def metadata_of(data):
    return read_metadata(open_upload(upload(data)), into=PHOTO_FIELDS)


def test_iptc_fills_every_field_it_carries_declared_utf8():
    data = with_iptc(
        photo_bytes(),
        iptc_datasets(
            {
                IPTC_HEADLINE: b"Quay at dawn",
                IPTC_CAPTION: "Fiskarna på kajen i Ålesund.".encode(),
                IPTC_CREDIT: b"Mara Lindqvist/Northmere Wire",
                IPTC_BYLINE: b"Mara Lindqvist",
                IPTC_COPYRIGHT: "© 2026 Northmere Wire".encode(),
            },
            utf8=True,
        ),
    )
    assert metadata_of(data).fields == {
        "title": "Quay at dawn",
        "caption": "Fiskarna på kajen i Ålesund.",
        "credit": "Mara Lindqvist/Northmere Wire",
        "photographer": "Mara Lindqvist",
        "copyright_notice": "© 2026 Northmere Wire",
    }


def test_iptc_without_a_declared_charset_is_read_as_latin1_when_not_utf8():
    data = with_iptc(
        photo_bytes(),
        iptc_datasets({IPTC_CAPTION: "Café owner José Peña".encode("latin-1"), IPTC_CREDIT: b"AP"}),
    )
    assert metadata_of(data).fields["caption"] == "Café owner José Peña"


def test_iptc_without_a_declared_charset_is_read_as_utf8_when_it_is():
    data = with_iptc(
        photo_bytes(),
        iptc_datasets({IPTC_BYLINE: "Zoë Müller-Świątek".encode(), IPTC_CREDIT: b"X"}),
    )
    assert metadata_of(data).fields["photographer"] == "Zoë Müller-Świątek"


def test_repeated_iptc_bylines_are_joined():
    data = with_iptc(photo_bytes(), iptc_datasets({IPTC_BYLINE: [b"Ann Lee", b"Bo Chan"]}))
    assert metadata_of(data).fields["photographer"] == "Ann Lee, Bo Chan"


def test_a_caption_of_over_2000_characters_is_kept_whole():
    data = with_iptc(photo_bytes(), iptc_datasets({IPTC_CAPTION: WIRE_CAPTION.encode()}, utf8=True))
    assert len(WIRE_CAPTION) > 2000
    assert metadata_of(data).fields["caption"] == WIRE_CAPTION.strip()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_xmp_fills_each_field_including_alt_text(fmt):
    xmp = xmp_packet(
        description="Cranes over the harbour.",
        creator="Ola Nordmann",
        rights="© 2026 Reuters",
        credit="Ola Nordmann/Reuters",
        headline="Harbour cranes",
        alt_text="Three red cranes against a grey sky.",
    )
    assert metadata_of(photo_bytes(fmt=fmt, xmp=xmp)).fields == {
        "title": "Harbour cranes",
        "caption": "Cranes over the harbour.",
        "credit": "Ola Nordmann/Reuters",
        "photographer": "Ola Nordmann",
        "copyright_notice": "© 2026 Reuters",
        "alt_text": "Three red cranes against a grey sky.",
    }


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_exif_fills_caption_photographer_and_copyright(fmt):
    exif = camera_exif(
        description="Morning ferry.", artist="Kai Berg", copyright_notice="Kai Berg 2026"
    )
    assert metadata_of(photo_bytes(fmt=fmt, exif=exif)).fields == {
        "caption": "Morning ferry.",
        "photographer": "Kai Berg",
        "copyright_notice": "Kai Berg 2026",
    }


def test_iptc_wins_over_xmp_and_xmp_over_exif():
    data = photo_bytes(
        exif=camera_exif(description="EXIF caption", artist="EXIF artist"),
        xmp=xmp_packet(description="XMP caption", creator="XMP creator", credit="XMP credit"),
    )
    data = with_iptc(data, iptc_datasets({IPTC_CAPTION: b"IPTC caption"}))
    found = metadata_of(data).fields
    assert found["caption"] == "IPTC caption"
    assert found["photographer"] == "XMP creator"
    assert found["credit"] == "XMP credit"


def test_a_file_without_metadata_fills_nothing():
    found = metadata_of(photo_bytes())
    assert (found.fields, found.notices(used=[])) == ({}, [])


XMP_WITH_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE x:xmpmeta [<!ENTITY who "Ola Nordmann">]>'
    + xmp_packet(description="Cranes by &who;.", credit="Reuters")
)
NOT_TIFF = b"not a TIFF header at all"
# A TIFF header whose first directory lies far past the end of the block.
IFD_PAST_THE_END = b"Exif\x00\x00II*\x00\xff\xff\xff\x00"


def test_an_xmp_packet_with_a_dtd_is_ignored_and_the_other_sources_still_fill():
    data = with_iptc(
        photo_bytes(xmp=XMP_WITH_ENTITY, exif=camera_exif(artist="Kai Berg")),
        iptc_datasets({IPTC_CREDIT: b"NTB"}),
    )
    found = metadata_of(data)
    assert found.fields == {"credit": "NTB", "photographer": "Kai Berg"}
    assert found.notices(used=found.fields) == [
        "The file's XMP metadata could not be read and was ignored."
    ]


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_xmp_that_is_not_well_formed_is_ignored(fmt):
    found = metadata_of(photo_bytes(fmt=fmt, xmp='<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF'))
    assert found.fields == {}
    assert found.notices(used=[]) == ["The file's XMP metadata could not be read and was ignored."]


def test_xmp_of_an_unexpected_shape_is_ignored():
    odd = xmp_packet(description="x").replace(
        '<rdf:Alt><rdf:li xml:lang="x-default">x</rdf:li></rdf:Alt>', "<rdf:Alt>plain</rdf:Alt>"
    )
    found = metadata_of(photo_bytes(xmp=odd))
    assert "caption" not in found.fields
    assert found.notices(used=[]) == ["The file's XMP metadata could not be read and was ignored."]


@pytest.mark.parametrize(
    "iptc",
    [b"hello, this is not IPTC", b"\x1c\x02\x78\xff\xffabc"],
    ids=["not IIM", "impossible field length"],
)
def test_broken_iptc_is_ignored(iptc):
    found = metadata_of(with_iptc(photo_bytes(exif=camera_exif(artist="Kai Berg")), iptc))
    assert found.fields == {"photographer": "Kai Berg"}
    assert found.notices(used=[]) == ["The file's IPTC metadata could not be read and was ignored."]


@pytest.mark.parametrize(
    ("fmt", "exif"),
    [("PNG", NOT_TIFF), ("WEBP", NOT_TIFF), ("JPEG", IFD_PAST_THE_END)],
    ids=["PNG, not TIFF", "WebP, not TIFF", "JPEG, IFD past the end"],
)
def test_broken_exif_is_ignored(fmt, exif):
    xmp = xmp_packet(creator="Ola Nordmann")
    found = metadata_of(photo_bytes(fmt=fmt, exif=exif, xmp=xmp))
    assert found.fields == {"photographer": "Ola Nordmann"}
    assert found.notices(used=[]) == ["The file's EXIF metadata could not be read and was ignored."]


@pytest.mark.parametrize("source", ["EXIF", "IPTC", "XMP"])
def test_a_caption_over_5000_characters_is_cut_with_a_notice(source):
    caption = "Fishermen haul nets on the quay. " * 200  # 6,600 characters
    if source == "EXIF":
        data = photo_bytes(exif=camera_exif(description=caption))
    elif source == "IPTC":
        data = with_iptc(photo_bytes(), iptc_datasets({IPTC_CAPTION: caption.encode()}))
    else:
        data = photo_bytes(xmp=xmp_packet(description=caption))
    found = metadata_of(data)
    assert found.fields["caption"] == caption[:5000].rstrip()
    assert found.notices(used=["caption"]) == [
        "The caption from the file was cut to 5,000 characters."
    ]
    # Unused (the editor typed a caption), the cut is not worth a word.
    assert found.notices(used=[]) == []


def test_every_over_long_field_is_cut_to_its_limit():
    data = with_iptc(
        photo_bytes(),
        iptc_datasets({IPTC_HEADLINE: b"H" * 300, IPTC_CREDIT: b"C" * 300}),
    )
    found = metadata_of(data)
    assert (len(found.fields["title"]), len(found.fields["credit"])) == (255, 255)
    assert found.notices(used=["title", "credit"]) == [
        "The title from the file was cut to 255 characters.",
        "The credit from the file was cut to 255 characters.",
    ]
