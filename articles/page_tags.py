"""What the stories' pages show, and what each write to the stories' models changes.

The page cache (pagecache/tags.py) keeps a page while none of the tags it
shows has moved. Tags of this room:

- `story:<id>`: a story's own text, photos' placement, sources, corrections;
- `story:<id>:comments`: its comment count (moved by the discussion);
- `section:<id>`, `author:<id>`, `tag:<id>`, `photo:<id>`: their names and
  descriptions, the photo's caption, credit and picture;
- `sections`: the masthead's list of sections, on every page;
- `latest`: which stories the lists hold and in what order (moved by every
  write that can add, drop or move a story, and at each scheduled release);
- `corrections`: the corrections page's list;
- `archive`: anything about any story, for outputs that show many stories'
  details and name only this (feeds, sitemaps, ninjs).
"""

from pagecache.tags import shows

LATEST, SECTIONS, CORRECTIONS, ARCHIVE = "latest", "sections", "corrections", "archive"


def story(pk):
    return f"story:{pk}"


def comments_on(pk):
    return f"story:{pk}:comments"


def of_card(article):
    """A story as a list shows it: headline, section, byline, lead photo, comment count."""
    tags = [story(article.pk), comments_on(article.pk)]
    if article.section_id:
        tags.append(f"section:{article.section_id}")
    tags += [f"author:{byline.author_id}" for byline in article.bylines.all()]
    if placement := article.lead_placement:
        tags.append(f"photo:{placement.photo_id}")
    return tags


def show_list(articles, *parents):
    """A list page: which stories it holds, each story's card, and its parent's name."""
    shows(LATEST, *parents, *(tag for article in articles for tag in of_card(article)))


def show_story(article):
    """A story's page (its discussion declares its own: commenting/templatetags)."""
    shows(
        *of_card(article),
        *(f"tag:{tag.pk}" for tag in article.tags.all()),
        *(f"photo:{placement.photo_id}" for placement in article.photo_placements.all()),
    )


def of_article(article, created):
    return [story(article.pk), LATEST, ARCHIVE]


def of_story_part(part, created):
    """A byline, source, correction or photo placement belongs to its story's page and card."""
    return [story(part.article_id), LATEST, ARCHIVE]


def of_correction(correction, created):
    return [*of_story_part(correction, created), CORRECTIONS]


def of_story_tags(instance, pks):
    """Stories tagged or untagged: their pages, and which stories the tag's list holds."""
    from .models import Article

    if isinstance(instance, Article):
        return [story(instance.pk), LATEST, ARCHIVE]
    return [*(story(pk) for pk in pks), LATEST, ARCHIVE]


def of_named(prefix, *more):
    def changes(instance, created):
        return [f"{prefix}:{instance.pk}", *more, ARCHIVE]

    return changes
