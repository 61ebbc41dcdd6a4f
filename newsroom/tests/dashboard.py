"""Reading the desk's front page as its panels show it (newsroom/dashboard.py)."""

from django.urls import reverse

from newsroom.tests.html import Elements

DESK = reverse("admin:index")


def panels_on(client) -> dict[str, dict]:
    """Each panel on the front page by its title: its `counts` and `items` as (text, link)
    pairs, and its whole `text`."""
    response = client.get(DESK)
    assert response.status_code == 200
    page = Elements(response.content.decode())
    found = {}
    for panel in page.by_class("desk-panel"):
        title = page.first_inside(panel, page.by_tag("h2"))["text"].strip()
        found[title] = {
            "text": " ".join(panel["text"].split()),
            **{
                part: [
                    (" ".join(link["text"].split()), link["attrs"]["href"])
                    for link in page.inside(panel)
                    if link["tag"] == "a" and is_in_class(link, f"desk-panel-{part}")
                ]
                for part in ("counts", "items")
            },
        }
    return found


def is_in_class(element, name):
    return any(
        name in (parent["attrs"].get("class") or "").split() for parent in element["parents"]
    )


def rows_listed(client, url) -> int:
    """How many rows the admin change list at `url` shows in all (its filters applied)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["cl"].result_count
