"""Readable differences between two saved versions of a story."""

import difflib

from django.utils.html import strip_tags

from articles.html import split_blocks
from articles.models import Article

COMPARED_FIELDS = [("headline", "Headline"), ("standfirst", "Standfirst"), ("body", "Body")]
# Moved by every save, so never a change of its own.
UNCOMPARED_FIELDS = {"modified_at"}


def _lines(field, value):
    if field == "body":
        # One line per paragraph, without markup, so the diff reads like the story.
        return [strip_tags(block).strip() for block in split_blocks(value or "")]
    return (value or "").splitlines()


def compare_versions(older, newer, headings=("Older", "Newer")):
    """(label, HTML table) for each compared field that differs between two versions,
    the tables' columns headed by `headings`."""
    differ = difflib.HtmlDiff(wrapcolumn=70)
    changes = []
    for field, label in COMPARED_FIELDS:
        before = _lines(field, older.field_dict.get(field))
        after = _lines(field, newer.field_dict.get(field))
        if before != after:
            table = differ.make_table(before, after, *headings, context=field == "body", numlines=1)
            # HtmlDiff pins every space with &nbsp;; plain spaces let long paragraphs wrap.
            changes.append((label, table.replace("&nbsp;", " ")))
    return changes


def other_changes(older, newer):
    """The names of the story's other fields that differ between two versions.

    Only fields an editor sets: derived ones (the search vector) change with the text.
    """
    compared = {field for field, _ in COMPARED_FIELDS} | UNCOMPARED_FIELDS
    return [
        str(field.verbose_name)
        for field in Article._meta.concrete_fields
        if field.editable
        and field.attname not in compared
        and older.field_dict.get(field.attname) != newer.field_dict.get(field.attname)
    ]


def conflict_report(conflict, submitted):
    """What the refusal of a conflicting save shows: the other editor's changes since the
    form was opened, and the refused editor's own text, as they sent it."""
    both = conflict.opened and conflict.current
    return {
        "diffs": compare_versions(conflict.opened, conflict.current, ("When you opened it", "Now"))
        if both
        else None,
        "other_changes": other_changes(conflict.opened, conflict.current) if both else [],
        "mine": [(field, label, submitted.get(field, "")) for field, label in COMPARED_FIELDS],
    }
