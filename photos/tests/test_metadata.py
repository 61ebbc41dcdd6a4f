import io

import pytest
from PIL import Image

from photos.metadata import (
    IPTC_BYLINE,
    IPTC_CAPTION,
    IPTC_COPYRIGHT,
    IPTC_CREDIT,
    IPTC_HEADLINE,
    read_metadata,
)

from .images import camera_exif, iptc_datasets, photo_bytes, with_iptc, xmp_packet

WIRE_CAPTION = (
    "Fishermen haul nets at first light on the quay at Lantern Row, where the cod quota was cut "
    "by a third this spring. "
) * 20  # a wire caption of well over 2,000 characters


def metadata_of(data):
    return read_metadata(Image.open(io.BytesIO(data)))


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
    assert metadata_of(data) == {
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
    assert metadata_of(data)["caption"] == "Café owner José Peña"


def test_iptc_without_a_declared_charset_is_read_as_utf8_when_it_is():
    data = with_iptc(
        photo_bytes(),
        iptc_datasets({IPTC_BYLINE: "Zoë Müller-Świątek".encode(), IPTC_CREDIT: b"X"}),
    )
    assert metadata_of(data)["photographer"] == "Zoë Müller-Świątek"


def test_repeated_iptc_bylines_are_joined():
    data = with_iptc(photo_bytes(), iptc_datasets({IPTC_BYLINE: [b"Ann Lee", b"Bo Chan"]}))
    assert metadata_of(data)["photographer"] == "Ann Lee, Bo Chan"


def test_a_caption_of_over_2000_characters_is_kept_whole():
    data = with_iptc(photo_bytes(), iptc_datasets({IPTC_CAPTION: WIRE_CAPTION.encode()}, utf8=True))
    assert len(WIRE_CAPTION) > 2000
    assert metadata_of(data)["caption"] == WIRE_CAPTION.strip()


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
    assert metadata_of(photo_bytes(fmt=fmt, xmp=xmp)) == {
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
    assert metadata_of(photo_bytes(fmt=fmt, exif=exif)) == {
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
    found = metadata_of(data)
    assert found["caption"] == "IPTC caption"
    assert found["photographer"] == "XMP creator"
    assert found["credit"] == "XMP credit"


def test_a_file_without_metadata_fills_nothing():
    assert metadata_of(photo_bytes()) == {}
