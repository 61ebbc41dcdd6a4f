"""Reading a form off a page the way a browser would submit it."""

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.found = form_id, False, False
        self.action, self.fields = None, {}
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = self.found = True
            self.action = attrs.get("action", "")
        if not self.inside or not (attrs.get("name") or tag == "option"):
            return
        checkable = attrs.get("type") in ("checkbox", "radio")
        if tag == "input" and (not checkable or "checked" in attrs):
            # A ticked box without a value attribute is sent as "on".
            self.fields[attrs["name"]] = attrs.get("value", "on" if checkable else "")
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.fields[self.textarea] = ""
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields[self.select] = attrs.get("value", "")

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


def form_fields(html, form_id):
    """The action and the fields of the form with this id, as a browser would send them."""
    parser = _Form(form_id)
    parser.feed(html)
    assert parser.found, f"no form #{form_id} on the page"
    # A browser drops the newline that follows <textarea>.
    fields = {k: v[1:] if v.startswith("\n") else v for k, v in parser.fields.items()}
    return parser.action, fields
