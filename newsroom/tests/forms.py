"""Reading a form off a page the way a browser would submit it."""

from newsroom.tests.html import Elements


def form_fields(html, form_id):
    """The action and the fields of the form with this id, as a browser would send them."""
    page = Elements(html)
    form = next((f for f in page.by_tag("form") if f["attrs"].get("id") == form_id), None)
    assert form is not None, f"no form #{form_id} on the page"
    fields = {}
    for element in page.inside(form):
        tag, attrs = element["tag"], element["attrs"]
        checkable = attrs.get("type") in ("checkbox", "radio")
        if tag == "input" and attrs.get("name") and (not checkable or "checked" in attrs):
            # A ticked box without a value attribute is sent as "on".
            fields[attrs["name"]] = attrs.get("value", "on" if checkable else "")
        elif tag == "textarea" and attrs.get("name"):
            fields[attrs["name"]] = element["text"]
        elif tag == "option" and "selected" in attrs:
            select = next((p for p in reversed(element["parents"]) if p["tag"] == "select"), None)
            if select is not None and select["attrs"].get("name"):
                fields[select["attrs"]["name"]] = attrs.get("value", "")
    # A browser drops the newline that follows <textarea>.
    fields = {k: v[1:] if v.startswith("\n") else v for k, v in fields.items()}
    return form["attrs"].get("action", ""), fields
