import pytest

from articles.html import has_text, sanitize_body, split_blocks


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>Hi<script>alert(1)</script></p>", "<p>Hi</p>"),
        ('<p onclick="steal()">Text</p>', "<p>Text</p>"),
        ('<p style="color:red">Text</p>', "<p>Text</p>"),
        ('<a href="javascript:alert(1)">link</a>', '<a rel="noopener noreferrer">link</a>'),
        ('<iframe src="https://evil.example"></iframe><p>After</p>', "<p>After</p>"),
        ("<p>Kept <strong>bold</strong></p>", "<p>Kept <strong>bold</strong></p>"),
        ('<img src="x" onerror="alert(1)"><p>Words</p>', "<p>Words</p>"),
        (
            "<h2>Head</h2><blockquote>Quote</blockquote>",
            "<h2>Head</h2><blockquote>Quote</blockquote>",
        ),
    ],
)
def test_sanitize_body_strips_what_is_unsafe_and_keeps_the_text(dirty, clean):
    assert sanitize_body(dirty) == clean


@pytest.mark.parametrize(
    "cite", ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x", "x"]
)
@pytest.mark.parametrize("tag", ["blockquote", "q"])
def test_sanitize_body_drops_quote_sources_that_are_not_web_addresses(tag, cite):
    """nh3 checks the scheme of links, not of cite: a script URL there must go too."""
    assert sanitize_body(f'<{tag} cite="{cite}">Quoted</{tag}>') == f"<{tag}>Quoted</{tag}>"
    web = f'<{tag} cite="https://example.org/speech">Quoted</{tag}>'
    assert sanitize_body(web) == web


def test_sanitize_body_keeps_web_links_and_marks_them():
    assert sanitize_body('<a href="https://example.org/a">a</a>') == (
        '<a href="https://example.org/a" rel="noopener noreferrer">a</a>'
    )


def test_has_text_ignores_empty_markup():
    assert not has_text("<p> </p><p><br></p>")
    assert not has_text("<script>alert(1)</script>")
    assert has_text("<p>Words</p>")


def test_split_blocks_cuts_at_top_level_elements_only():
    html = "<p>One</p>\n<ul><li><p>Nested</p></li></ul><h2>Two</h2><p>Three</p>"
    assert split_blocks(html) == [
        "<p>One</p>",
        "\n<ul><li><p>Nested</p></li></ul>",
        "<h2>Two</h2>",
        "<p>Three</p>",
    ]


@pytest.mark.parametrize(
    "html",
    [
        "<p>One</p><p>Two</p>\n",
        "loose text<p>then a paragraph</p>trailing words",
        "<p>a<br>b</p><hr><p>c</p>",
        "<p>line\none</p>\n\n<p>line\ntwo</p>",
        "",
    ],
)
def test_split_blocks_loses_nothing(html):
    assert "".join(split_blocks(html)) == html
