"""Readable differences between two saved versions of a story."""

import difflib

from django.utils.html import strip_tags

from articles.html import split_blocks

COMPARED_FIELDS = [("headline", "Headline"), ("standfirst", "Standfirst"), ("body", "Body")]


def _lines(field, value):
    if field == "body":
        # One line per paragraph, without markup, so the diff reads like the story.
        return [strip_tags(block).strip() for block in split_blocks(value or "")]
    return (value or "").splitlines()


def compare_versions(older, newer):
    """(label, HTML table) for each compared field that differs between two versions."""
    differ = difflib.HtmlDiff(wrapcolumn=70)
    changes = []
    for field, label in COMPARED_FIELDS:
        before = _lines(field, older.field_dict.get(field))
        after = _lines(field, newer.field_dict.get(field))
        if before != after:
            table = differ.make_table(
                before, after, "Older", "Newer", context=field == "body", numlines=1
            )
            # HtmlDiff pins every space with &nbsp;; plain spaces let long paragraphs wrap.
            changes.append((label, table.replace("&nbsp;", " ")))
    return changes
