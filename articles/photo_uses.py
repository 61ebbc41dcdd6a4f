"""Stories as a user of the photo library (photos/usage.py).

A photo is used once per placement, and live when one of its stories is
published or scheduled.
"""

from django.urls import reverse

from photos.usage import Use

prefetch = ["placements__article"]


def uses(photo):
    return [
        Use(
            title=placement.article.headline,
            state=placement.article.get_status_display(),
            admin_url=reverse("admin:articles_article_change", args=[placement.article_id]),
        )
        for placement in photo.placements.all()
    ]


def is_live(photo):
    return photo.placements.in_published_articles().exists()
