"""Reading the HTML our pages send as elements and text, the way a browser sees it.

The suite's one HTML parser: tests ask for elements by tag or class and assert on
their attributes and text, rather than on how the markup happens to be spelled.
"""

from html.parser import HTMLParser

# Elements that hold nothing and have no end tag.
VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)


class Elements(HTMLParser):
    """Every element of an HTML document, in document order.

    Each element is a dict: its `tag`, its `attrs` (a dict; an attribute without
    a value maps to None), the `text` inside it (entities decoded) and its
    `parents`, outermost first. `text` is the whole document's text.
    """

    def __init__(self, html: str):
        super().__init__()
        self.stack, self.found, self.text = [], [], ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": "", "parents": list(self.stack)}
        self.found.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_endtag(self, tag):
        # An end tag closes the nearest open element of its name and whatever is
        # still open inside it; a stray one (or a void element's "/>") closes nothing.
        if any(element["tag"] == tag for element in self.stack):
            while self.stack.pop()["tag"] != tag:
                pass

    def handle_data(self, data):
        self.text += data
        for element in self.stack:
            element["text"] += data

    def by_tag(self, tag: str) -> list[dict]:
        return [e for e in self.found if e["tag"] == tag]

    def by_class(self, name: str) -> list[dict]:
        """The elements whose class attribute lists `name`."""
        return [e for e in self.found if name in (e["attrs"].get("class") or "").split()]

    def inside(self, parent: dict) -> list[dict]:
        """The elements within `parent`, at any depth."""
        return [e for e in self.found if is_inside(e, parent)]

    @staticmethod
    def first_inside(parent: dict, elements: list[dict]) -> dict:
        """The first of `elements` that lies within `parent`."""
        return next(e for e in elements if is_inside(e, parent))


def is_inside(element: dict, parent: dict) -> bool:
    return any(ancestor is parent for ancestor in element["parents"])
