"""import_ninjs: ninjs 1.x/2.x/3.x items, their pictures, bad input, IPTC's own examples.

IPTC's schemas and agency examples are read from ../shared/ninjs beside the
repository; they are not copied in (see require_path).
"""

import copy
import io
import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image

from articles.models import Article, Author, Citation, PhotoPlacement
from articles.tests.factories import make_section, make_staff
from imaging.metadata import IPTC_BYLINE, IPTC_CAPTION, IPTC_CREDIT
from imaging.tests.images import iptc_datasets, photo_bytes, with_iptc
from newsroom.tests.network import listening
from newsroom.tests.ninjs import run_import, serving_wire, shared_path, validate, write
from photos.models import Photo

pytestmark = pytest.mark.django_db


def stored_files():
    """Every file in the test's media and originals folders."""
    roots = [Path(settings.MEDIA_ROOT), Path(settings.PHOTO_ORIGINALS_ROOT)]
    return sorted(p for root in roots if root.exists() for p in root.rglob("*") if p.is_file())


@pytest.fixture
def section():
    return make_section(name="World", slug="world")


# Documents written here


def picture_file(folder, name="ferry.jpg", iptc=None):
    data = photo_bytes(320, 200)
    if iptc:
        data = with_iptc(data, iptc_datasets(iptc))
    path = Path(folder) / name
    path.write_bytes(data)
    return path


def ninjs3(**overrides):
    document = {
        "uri": "urn:example:wire:1001",
        "type": "text",
        "version": "1",
        "firstCreated": "2026-11-20T08:00:00Z",
        "versionCreated": "2026-11-20T09:30:00Z",
        "pubStatus": "usable",
        "language": "en",
        "headlines": [
            {"role": "main", "value": "Port strike ends"},
            {"role": "sub", "value": "Dockers accept the offer."},
        ],
        "by": "Ana Costa and Ben Ode",
        "located": "LISBON",
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "value": '<p>Work resumed.</p><script>alert(1)</script><p onclick="x()">Ships '
                "<b>queue</b>.</p>",
            }
        ],
        "subjects": [{"name": "Labour", "uri": "http://cv.example/labour"}],
        "infoSources": [
            {"name": "Port Authority", "literal": "Statement", "uri": "https://port.example/s"},
            {"name": "Example Wire", "role": "source"},
        ],
        "associations": [
            {
                "name": "photo1",
                "type": "picture",
                "by": "Rui Lopes",
                "copyrightNotice": "© Example Wire",
                "descriptions": [
                    {"role": "caption", "value": "Cranes at the container terminal."},
                    {"role": "creditline", "value": "Rui Lopes/Example Wire"},
                ],
                "renditions": [
                    {"name": "thumb", "href": "missing-thumbnail.jpg", "width": 100, "height": 60},
                    {
                        "name": "highres",
                        "href": "ferry.jpg",
                        "contentType": "image/jpeg",
                        "width": 320,
                        "height": 200,
                    },
                ],
            }
        ],
    }
    document.update(overrides)
    return document


def ninjs2():
    """The same item in ninjs 2.x spelling: property names in lower case."""
    return {
        "uri": "urn:example:wire:2002",
        "type": "text",
        "versioncreated": "2026-11-21T10:00:00Z",
        "pubstatus": "usable",
        "headlines": [{"role": "main", "value": "Bridge tolls frozen"}],
        "by": "Ana Costa",
        "bodies": [
            {
                "contenttype": "text/plain",
                "value": "The council froze tolls.\n\nDrivers welcomed it.",
            }
        ],
        "infosources": [{"name": "Council", "uri": "https://council.example/tolls"}],
        "associations": [
            {
                "name": "main",
                "uri": "urn:example:picture:2002",
                "type": "picture",
                "renditions": [
                    {"name": "original", "href": "bridge.jpg", "contenttype": "image/jpeg"}
                ],
            }
        ],
    }


def test_import_ninjs3_with_a_local_picture(tmp_path, section):
    picture_file(tmp_path)
    lines, _, failure = run_import(
        write(tmp_path, "item.json", ninjs3()), publish=True, section="world"
    )
    assert failure is None
    article = Article.objects.get()
    assert lines == [f"{tmp_path / 'item.json'}: created (published) {article.get_absolute_url()}"]
    assert article.is_published
    assert article.headline == "Port strike ends"
    assert article.standfirst == "Dockers accept the offer."
    assert article.body == "<p>Work resumed.</p><p>Ships <b>queue</b>.</p>"
    assert article.dateline == "LISBON"
    assert article.section == section
    assert article.publish_at.isoformat() == "2026-11-20T08:00:00+00:00"
    assert article.updated_at.isoformat() == "2026-11-20T09:30:00+00:00"
    assert [b.author.name for b in article.bylines.all()] == ["Ana Costa", "Ben Ode"]
    assert [t.name for t in article.tags.all()] == ["Labour"]
    [citation] = article.citations.all()
    assert (citation.outlet, citation.title, citation.url) == (
        "Port Authority",
        "Statement",
        "https://port.example/s",
    )
    placement = article.photo_placements.get()
    assert placement.role == PhotoPlacement.Role.LEAD
    photo = placement.photo
    assert photo.caption == "Cranes at the container terminal."
    assert photo.credit == "Rui Lopes/Example Wire"
    assert photo.photographer == "Rui Lopes"
    assert photo.copyright_notice == "© Example Wire"
    assert photo.alt_text == "Cranes at the container terminal."
    assert (photo.width, photo.height) == (320, 200)
    assert photo.renditions


def test_import_ninjs2_plain_text_and_picture_metadata_from_iptc(tmp_path):
    validate(ninjs2(), "ninjs-schema_2.1.json")
    picture_file(
        tmp_path,
        "bridge.jpg",
        iptc={
            IPTC_CAPTION: b"Traffic on the toll bridge.",
            IPTC_CREDIT: b"Mo Ali/Bridge Wire",
            IPTC_BYLINE: b"Mo Ali",
        },
    )
    lines, _, failure = run_import(write(tmp_path, "item.json", ninjs2()))
    assert failure is None, lines
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.body == "<p>The council froze tolls.</p><p>Drivers welcomed it.</p>"
    assert article.citations.get().url == "https://council.example/tolls"
    photo = article.photo_placements.get().photo
    assert (photo.caption, photo.credit, photo.photographer) == (
        "Traffic on the toll bridge.",
        "Mo Ali/Bridge Wire",
        "Mo Ali",
    )
    assert "(draft)" in lines[0]


def test_a_quoted_person_after_a_cited_report_is_the_person_that_citation_quotes(tmp_path):
    document = ninjs3(
        infoSources=[
            {"role": "quoted", "name": "Nobody Before", "literal": "no report precedes"},
            {"name": "Nikkei Asia", "literal": "Chip curbs", "uri": "https://asia.example/c"},
            {"role": "quoted", "name": "Koichi Hagiuda", "literal": "Japan's trade minister"},
            {"name": "Kyodo", "literal": "Exports", "uri": "https://kyodo.example/e"},
            {"role": "quoted", "name": "Ken Ito"},
            {"role": "quoted", "literal": "a name is needed"},
        ],
        associations=[],
    )
    validate(document, "ninjs-schema_3.1.json")
    lines, _, failure = run_import(write(tmp_path, "item.json", document))
    assert failure is None, lines
    citations = Article.objects.get().citations.all()
    assert [(c.outlet, c.person, c.person_role, c.position) for c in citations] == [
        ("Nikkei Asia", "Koichi Hagiuda", "Japan's trade minister", 0),
        ("Kyodo", "Ken Ito", "", 1),
    ]


def test_import_ninjs1_snake_case(tmp_path):
    document = {
        "uri": "urn:example:wire:3003",
        "type": "text",
        "version_created": "2026-11-22T10:00:00Z",
        "headline": "Old wire format still arrives",
        "body_text": "Line one.\nLine two.",
        "associations": {
            "main": {
                "type": "picture",
                "by": "Old Wire",
                "description_text": "A ferry in fog.",
                "renditions": [{"href": picture_file(tmp_path).as_uri(), "width": 320}],
            }
        },
    }
    lines, _, failure = run_import(write(tmp_path, "old.json", document))
    assert failure is None, lines
    article = Article.objects.get()
    assert article.headline == "Old wire format still arrives"
    assert article.body == "<p>Line one.</p><p>Line two.</p>"
    photo = article.photo_placements.get().photo
    # No credit line in the document or the file: the picture's byline stands in.
    assert (photo.caption, photo.credit) == ("A ferry in fog.", "Old Wire")


def test_reimporting_the_same_uri_updates_the_story(
    tmp_path, section, django_capture_on_commit_callbacks
):
    picture_file(tmp_path)
    path = write(tmp_path, "item.json", ninjs3())
    run_import(path, publish=True, section="world")
    first = Article.objects.get()
    revised = ninjs3(headlines=[{"role": "main", "value": "Port strike ends after talks"}])
    with django_capture_on_commit_callbacks(execute=True):
        lines, _, failure = run_import(write(tmp_path, "item.json", revised), publish=True)
    assert failure is None
    updated = Article.objects.get()
    assert updated.pk == first.pk
    assert updated.slug == first.slug
    assert updated.headline == "Port strike ends after talks"
    photo = updated.photo_placements.get().photo
    # The previous import's copy of the picture is gone, row and files.
    assert Photo.objects.get() == photo
    assert len(stored_files()) == 1 + len(photo.renditions)
    assert Author.objects.count() == 2
    assert Citation.objects.count() == 1
    assert "updated (published)" in lines[0]


@pytest.mark.parametrize("key", ["embargoedUntil", "embargoed"])  # ninjs 3.x, 2.x
def test_a_future_embargo_becomes_the_storys_embargo_not_its_publish_time(
    client, tmp_path, section, key
):
    picture_file(tmp_path)
    document = ninjs3(**{key: "2999-01-01T00:00:00Z"})
    lines, _, failure = run_import(
        write(tmp_path, "item.json", document), publish=True, section="world"
    )
    assert failure is None, lines
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED
    assert article.embargo_until.isoformat() == "2999-01-01T00:00:00+00:00"
    assert article.publish_at.isoformat() == "2026-11-20T08:00:00+00:00"
    assert not Article.objects.published().exists()
    assert client.get(article.get_absolute_url()).status_code == 404
    client.force_login(make_staff())
    desk = client.get(reverse("admin:articles_article_changelist")).content.decode()
    # The story's row, not the list's filters (which offer both).
    rows = desk[desk.index('<table id="result_list"') : desk.index("</table>")]
    assert "Embargoed" in rows and "Scheduled" not in rows


def test_a_draft_keeps_the_items_embargo_for_when_it_is_published(tmp_path):
    picture_file(tmp_path)
    run_import(write(tmp_path, "item.json", ninjs3(embargoedUntil="2999-01-01T00:00:00Z")))
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.embargo_until.year == 2999
    assert article.publish_at is None


def test_an_embargo_already_lifted_holds_nothing(tmp_path, section):
    picture_file(tmp_path)
    document = ninjs3(embargoedUntil="2026-11-20T07:00:00Z")
    run_import(write(tmp_path, "item.json", document), publish=True, section="world")
    article = Article.objects.get()
    assert article.embargo_until is None
    assert Article.objects.published().get() == article


def test_progress_bar_for_many_files(tmp_path, section):
    picture_file(tmp_path)
    paths = [
        write(tmp_path, f"item{n}.json", ninjs3(uri=f"urn:example:wire:{n}")) for n in range(6)
    ]
    lines, progress, failure = run_import(*paths, publish=True, section="world")
    assert failure is None
    assert len(lines) == 6
    assert progress.endswith("] 6/6 files\n")
    assert Article.objects.count() == 6


# Pictures over http(s): a server on 127.0.0.1 started by the test


@pytest.fixture
def wire_server(tmp_path, settings):
    with serving_wire(tmp_path, settings) as served:
        yield served


def with_picture_href(document, href):
    document = copy.deepcopy(document)
    for rendition in document["associations"][0]["renditions"]:
        rendition["href"] = href
    return document


def test_import_downloads_an_http_picture(tmp_path, wire_server):
    folder, base = wire_server
    picture_file(folder)
    document = with_picture_href(ninjs3(), f"{base}/ferry.jpg")
    lines, _, failure = run_import(write(tmp_path, "item.json", document))
    assert failure is None, lines
    assert Article.objects.get().photo_placements.get().photo.credit == "Rui Lopes/Example Wire"


def assert_nothing_imported(failure):
    assert failure is not None
    assert not Article.objects.exists()
    assert not Photo.objects.exists()
    assert stored_files() == []


def test_a_picture_on_an_address_that_is_not_public_is_refused_unrequested(tmp_path):
    picture = {"/ferry.jpg": (200, {"Content-Type": "image/jpeg"}, photo_bytes(320, 200))}
    with listening("127.0.0.1", routes=picture) as internal:
        urls = [internal.url("/ferry.jpg"), f"http://localhost:{internal.port}/ferry.jpg"]
        for number, url in enumerate(urls):
            document = with_picture_href(ninjs3(uri=f"urn:example:{number}"), url)
            lines, _, failure = run_import(write(tmp_path, "item.json", document))
            assert lines[0].endswith(f"picture photo1: cannot download {url} (address not public)")
            assert_nothing_imported(failure)
    assert internal.connections == 0


def test_a_redirect_to_an_address_that_is_not_public_is_not_followed(tmp_path, settings):
    settings.NEWSROOM_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    picture = {"/ferry.jpg": (200, {"Content-Type": "image/jpeg"}, photo_bytes(320, 200))}
    with listening("127.0.0.1", routes=picture) as internal:
        moved = {"/ferry.jpg": (302, {"Location": internal.url("/ferry.jpg")}, b"")}
        with listening("127.0.0.2", routes=moved) as wire:
            document = with_picture_href(ninjs3(), wire.url("/ferry.jpg"))
            lines, _, failure = run_import(write(tmp_path, "item.json", document))
    assert "(address not public)" in lines[0]
    assert_nothing_imported(failure)
    assert internal.connections == 0


# Bad input: one line per item, the others still imported, nothing half-made


def noisy_jpeg():
    """A JPEG of noise: unlike flat test colours, it does not compress below the limit."""
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 100).convert("RGB").save(buffer, "JPEG", quality=95)
    assert len(buffer.getvalue()) > 40_000
    return buffer.getvalue()


def test_each_bad_item_gets_one_line_and_the_good_one_is_imported(
    tmp_path, wire_server, section, settings
):
    folder, base = wire_server
    picture_file(tmp_path)
    picture_file(folder)
    (folder / "big.jpg").write_bytes(noisy_jpeg())
    (tmp_path / "notes.jpg").write_text("Not a picture at all, just words.")
    settings.PHOTO_MAX_UPLOAD_BYTES = 20_000
    bad = {
        "malformed.json": '{"uri": "urn:x", "headlines": [',
        "picture.json": {"uri": "urn:example:pic", "type": "picture"},
        "nouri.json": {"type": "text", "headlines": [{"value": "No id"}]},
        "empty.json": ninjs3(uri="urn:example:empty", bodies=[]),
        "missing.json": with_picture_href(ninjs3(uri="urn:example:m"), "gone.jpg"),
        "http404.json": with_picture_href(ninjs3(uri="urn:example:h"), f"{base}/gone.jpg"),
        "notimage.json": with_picture_href(ninjs3(uri="urn:example:n"), "notes.jpg"),
        "oversized.json": with_picture_href(ninjs3(uri="urn:example:o"), f"{base}/big.jpg"),
        "unsized.json": with_picture_href(ninjs3(uri="urn:example:u"), f"{base}/stream/big.jpg"),
        "ftp.json": with_picture_href(ninjs3(uri="urn:example:f"), "ftp://example.org/x.jpg"),
    }
    paths = [write(tmp_path, name, document) for name, document in bad.items()]
    good = write(tmp_path, "good.json", ninjs3())
    lines, _, failure = run_import(*paths[:5], good, *paths[5:], publish=True, section="world")

    assert str(failure) == f"{len(bad)} of {len(bad) + 1} items were not imported.", lines
    assert len(lines) == len(bad) + 1
    by_file = {Path(line.split(":", 1)[0]).name: line.split(": ", 1)[1] for line in lines}
    assert by_file["good.json"].startswith("created (published) /articles/port-strike-ends/")
    expected = {
        "malformed.json": "error: not valid JSON",
        "picture.json": "error: a ninjs picture item, not a text item",
        "nouri.json": "error: not a ninjs item: it has no uri",
        "empty.json": "error: the item has no body",
        "missing.json": "error: picture photo1: cannot read gone.jpg",
        "http404.json": "error: picture photo1: http://127.0.0.1",
        "notimage.json": "error: picture photo1: This file is not an image",
        "oversized.json": "error: picture photo1: http://127.0.0.1",
        "unsized.json": "error: picture photo1: http://127.0.0.1",
        "ftp.json": "error: picture photo1: cannot fetch ftp: addresses",
    }
    for name, start in expected.items():
        assert by_file[name].startswith(start), (name, by_file[name])
    assert "HTTP 404" in by_file["http404.json"]
    assert "is larger than" in by_file["oversized.json"]
    assert "is larger than" in by_file["unsized.json"]
    assert all("\n" not in line for line in lines)

    article = Article.objects.get()
    photo = Photo.objects.get()
    assert article.photo_placements.get().photo == photo
    kept = {Path(photo.image.path)} | {
        Path(settings.MEDIA_ROOT) / rendition["name"] for rendition in photo.renditions
    }
    assert set(stored_files()) == kept


def test_a_bad_second_picture_leaves_no_story_photo_or_file(tmp_path, section):
    picture_file(tmp_path)
    (tmp_path / "notes.jpg").write_text("Not a picture.")
    document = ninjs3()
    second = copy.deepcopy(document["associations"][0])
    second["name"] = "photo2"
    second["renditions"] = [{"name": "x", "href": "notes.jpg"}]
    document["associations"].append(second)
    lines, _, failure = run_import(write(tmp_path, "item.json", document))
    assert failure is not None
    assert "picture photo2: This file is not an image" in lines[0]
    assert not Article.objects.exists()
    assert not Photo.objects.exists()
    assert stored_files() == []


@pytest.fixture
def wire_folder(tmp_path):
    """(the document's folder, a folder beside it holding a good picture)."""
    wire, private = tmp_path / "wire", tmp_path / "private"
    wire.mkdir()
    private.mkdir()
    picture_file(private, "secret.jpg")
    (wire / "link.jpg").symlink_to(private / "secret.jpg")
    (wire / "sub").mkdir()
    (wire / "sub" / "up.jpg").symlink_to("../../private/secret.jpg")
    return wire, private


@pytest.mark.parametrize(
    "href",
    [
        "../private/secret.jpg",
        "sub/../../private/secret.jpg",
        "{private}/secret.jpg",
        "file://{private}/secret.jpg",
        "file://localhost{private}/secret.jpg",
        "link.jpg",
        "sub/up.jpg",
        "../../../../../../../../etc/passwd",
        "/etc/passwd",
        "/etc/shadow",
        "file:///etc/hostname",
        "/nonexistent/photo.jpg",
        "/dev/zero",
        "/proc/self/environ",
    ],
)
def test_pictures_outside_the_documents_folder_are_refused_without_saying_what_is_there(
    wire_folder, href
):
    wire, private = wire_folder
    href = href.format(private=private)
    lines, _, failure = run_import(write(wire, "item.json", with_picture_href(ninjs3(), href)))
    assert lines == [
        f"{wire / 'item.json'}: error: picture photo1: {href} is outside the allowed folders "
        "(the document's folder and --pictures-from)"
    ]
    assert_nothing_imported(failure)


def test_pictures_from_a_folder_named_on_the_command_line(wire_folder):
    wire, private = wire_folder
    for number, href in enumerate(
        [str(private / "secret.jpg"), (private / "secret.jpg").as_uri(), "../private/secret.jpg"]
    ):
        document = with_picture_href(ninjs3(uri=f"urn:example:{number}"), href)
        lines, _, failure = run_import(write(wire, "item.json", document), pictures_from=[private])
        assert failure is None, lines
    assert Photo.objects.count() == 3


def test_pictures_inside_the_folder_that_are_not_regular_files_are_not_read(wire_folder):
    wire, _ = wire_folder
    (wire / "folder.jpg").mkdir()
    os.mkfifo(wire / "pipe.jpg")  # opening it for reading would wait for a writer
    for href, folders in [("folder.jpg", []), ("pipe.jpg", []), ("/dev/zero", ["/dev"])]:
        lines, _, failure = run_import(
            write(wire, "item.json", with_picture_href(ninjs3(), href)), pictures_from=folders
        )
        assert lines[0].endswith(f"error: picture photo1: {href} is not a regular file"), lines
        assert_nothing_imported(failure)


def test_a_local_picture_is_read_up_to_the_upload_limit(tmp_path, settings):
    (tmp_path / "big.jpg").write_bytes(noisy_jpeg())
    settings.PHOTO_MAX_UPLOAD_BYTES = 20_000
    document = with_picture_href(ninjs3(), "big.jpg")
    lines, _, failure = run_import(write(tmp_path, "item.json", document))
    assert lines[0].endswith("error: picture photo1: big.jpg is larger than 19.5\xa0KB"), lines
    assert_nothing_imported(failure)


def test_pictures_from_must_be_a_folder(tmp_path):
    with pytest.raises(CommandError, match=r"--pictures-from .*missing: not a folder"):
        call_command(
            "import_ninjs",
            str(write(tmp_path, "x.json", ninjs3())),
            pictures_from=[tmp_path / "missing"],
        )


def test_publishing_without_a_section_is_refused(tmp_path):
    picture_file(tmp_path)
    lines, _, failure = run_import(write(tmp_path, "item.json", ninjs3()), publish=True)
    assert failure is not None
    assert lines[0].endswith("error: no section to publish in: pass --section SLUG")
    assert not Photo.objects.exists()


def test_unknown_section_stops_the_command(tmp_path):
    with pytest.raises(CommandError, match="No section with the slug “nope”"):
        call_command("import_ninjs", str(write(tmp_path, "x.json", ninjs3())), section="nope")


# IPTC's own examples (read from ../shared/ninjs, never copied into the repository)


def test_import_iptc_complex_text_example(section):
    lines, _, failure = run_import(shared_path("005_complex_text_article.json"))
    assert failure is None, lines
    article = Article.objects.get()
    assert article.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert article.body.startswith("<p>GROSSETO, Italy (AP) -- The trial")
    assert article.body.count("<p>") == 4
    assert article.dateline == "Grossetto, Italy"
    assert [b.author.name for b in article.bylines.all()] == [
        "Paulo Santalucia",
        "Frances d'Emilio",
    ]


def test_import_dpa_example_without_a_type(section):
    lines, _, failure = run_import(shared_path("dpa_text.json"), publish=True, section="world")
    assert failure is None, lines
    article = Article.objects.get()
    assert article.headline == "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?"
    assert article.is_published


def test_import_tt_example_with_its_picture_served_locally(tmp_path):
    document = json.loads(shared_path("tt_text_image_3.json").read_text())
    picture_file(tmp_path, "a001.jpg")
    lines, _, failure = run_import(
        write(tmp_path, "tt.json", with_picture_href(document, "a001.jpg"))
    )
    assert failure is None, lines
    article = Article.objects.get()
    assert article.headline == "Militärövning i jätteformat hålls 2023"
    # The page's <title>, its <h1> repeating the headline and its <figure> are dropped.
    assert "<p>Pandemin satte stopp" in article.body
    assert article.headline not in article.body
    assert "Karl Melander" not in article.body
    assert "<blockquote>" in article.body
    photo = article.photo_placements.get().photo
    assert photo.caption.startswith("En stor internationell försvarsövning")
    assert photo.credit == photo.photographer == "Karl Melander/TT"


@pytest.mark.parametrize(
    ("name", "kind"), [("003_associations_example.json", "composite"), ("ap_image.json", "picture")]
)
def test_iptc_examples_that_are_not_text_items_are_refused(name, kind):
    lines, _, failure = run_import(shared_path(name))
    assert failure is not None
    assert lines == [f"{shared_path(name)}: error: a ninjs {kind} item, not a text item"]
    assert not Article.objects.exists()
