"""The HTML of a story body: what editors may store, and how it is cut into blocks.

The body is sanitized when it is saved, so what the database holds is safe to
render as it is; templates never clean it again.
"""

import re
from html.parser import HTMLParser

import nh3

BODY_TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "a", "strong", "em", "b", "i",
    "u", "s", "sub", "sup", "br", "hr", "q", "cite", "abbr", "code", "pre",
}  # fmt: skip
BODY_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
BODY_URL_SCHEMES = {"http", "https", "mailto"}

# Elements with no closing tag never open a level of nesting.
VOID_TAGS = {"br", "hr", "img", "wbr"}


# nh3 checks the scheme of href and src only; a quote's cite address is a URL too.
CITE_SCHEMES = re.compile(r"(?:https?|mailto):", re.IGNORECASE)


def _drop_unsafe_cite(element: str, attribute: str, value: str) -> str | None:
    if attribute == "cite" and not CITE_SCHEMES.match(value.strip()):
        return None
    return value


def sanitize_body(html: str) -> str:
    """Reduce editor HTML to the allowlist: no scripts, styles, handlers or frames."""
    return nh3.clean(
        html,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        attribute_filter=_drop_unsafe_cite,
        url_schemes=BODY_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def has_text(html: str) -> bool:
    """Whether the HTML holds any visible words, not just empty tags."""
    return bool(nh3.clean(html, tags=set()).strip())


class _TopLevelBlocks(HTMLParser):
    """Records where each top-level element of the document ends."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=False)
        # getpos() reports (line, column); block ends are wanted as offsets.
        self.line_offsets, position = [], 0
        for line in html.splitlines(keepends=True) or [""]:
            self.line_offsets.append(position)
            position += len(line)
        self.depth = 0
        self.block_ends = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_TAGS:
            self.depth += 1
        elif self.depth == 0:
            self._close_block()

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        self.depth -= 1
        if self.depth == 0:
            self._close_block()

    def _close_block(self):
        line, column = self.getpos()
        start = self.line_offsets[line - 1] + column
        self.block_ends.append(self.rawdata.index(">", start) + 1)


def split_blocks(html: str) -> list[str]:
    """Cut sanitized HTML into its top-level blocks (paragraphs, headings, lists…).

    Text between blocks stays attached to the block before it, so joining the
    result gives back the input exactly.
    """
    parser = _TopLevelBlocks(html)
    parser.feed(html)
    parser.close()

    blocks, start = [], 0
    for end in parser.block_ends:
        blocks.append(html[start:end])
        start = end
    if html[start:].strip():
        blocks.append(html[start:])
    elif blocks:
        blocks[-1] += html[start:]
    return blocks


CITATION_MARKER = re.compile(r"\[cite:(\d+)\]")


def link_citations(html: str, count: int) -> tuple[str, dict[int, list[str]]]:
    """Turn [cite:N] markers into numbered links to source N.

    Returns the HTML and, for each source number, the ids of its markers so
    the Sources list can link back to every place that cites it. Markers
    naming a source that does not exist are left as typed, for the editor to
    notice.
    """
    backlinks: dict[int, list[str]] = {}

    def link(match):
        number = int(match.group(1))
        if not 1 <= number <= count:
            return match.group(0)
        anchor = f"cite-{number}-{len(backlinks.setdefault(number, [])) + 1}"
        backlinks[number].append(anchor)
        return (
            f'<sup class="cite" id="{anchor}"><a href="#source-{number}" '
            f'aria-label="Source {number}">[{number}]</a></sup>'
        )

    return CITATION_MARKER.sub(link, html), backlinks
