"""What the story form adds to its fields: counts beside the headline, the body editor with
spell-check, and a paragraph picker for photos placed in the body."""

import re
from html import unescape

from django import forms
from django.conf import settings
from django.utils.html import strip_tags
from django_prose_editor.widgets import AdminProseEditorWidget

from articles.html import sanitize_body, split_blocks

# The story page's <title> is the headline, this separator and the site name
# (templates/articles/article_detail.html).
TITLE_SEPARATOR = " · "
# How many of a paragraph's first words name it in the photo position list.
LABEL_WORDS = 6
AT_THE_END = "After the last paragraph (a lead photo: above the story)"
BEFORE_THE_FIRST = "Before the first paragraph"
# The places offered ahead of the paragraphs themselves (story_form.js keeps them too).
FIXED_PLACES = 2
# Where one block's words end and the next one's begin inside a top-level block
# (the items of a list, the paragraphs of a quote).
INNER_BREAKS = re.compile(r"<(?:/?(?:p|li|h[1-6]|blockquote|ul|ol|pre)\b[^>]*|br\s*/?)>")


def title_suffix():
    return TITLE_SEPARATOR + settings.NEWSROOM_SITE_NAME


class CountedTextInput(forms.TextInput):
    """A text box with its character count, and the count of the page title it makes, under
    it: counted here for the first view and kept up to date by story_form.js."""

    template_name = "desk/widgets/counted_text_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        text = str(value or "")
        suffix = title_suffix()
        context["widget"].update(
            count=len(text), title_count=len(text) + len(suffix), title_suffix=suffix
        )
        return context


class BodyEditor(AdminProseEditorWidget):
    """The prose editor with the browser's spell-check on: the editor turns it off unless
    told not to, and a misspelt name in a published story costs more than a red underline."""

    def __init__(self, attrs=None, **kwargs):
        super().__init__({"spellcheck": "true", **(attrs or {})}, **kwargs)

    def get_config(self):
        config = super().get_config()
        # The editor's script loads every extension it is given, even one set to False.
        config.get("extensions", {}).pop("NoSpellCheck", None)
        return config


def block_words(block: str) -> list[str]:
    """The words a reader sees in one top-level block of a body."""
    return unescape(strip_tags(INNER_BREAKS.sub(" ", block))).split()


def paragraph_label(number: int, words: list[str]) -> str:
    """“After ¶2: The operator blames the price…”; story_form.js builds the same."""
    if not words:
        return f"After ¶{number}"
    shown = " ".join(words[:LABEL_WORDS])
    return f"After ¶{number}: {shown}{'…' if len(words) > LABEL_WORDS else ''}"


def paragraph_choices(body: str) -> list[tuple[str | int, str]]:
    """Where a photo can go in this body: at the end, above the first block (0), or after
    one of its blocks (numbered from 1, as PhotoPlacement.after_block counts them)."""
    blocks = split_blocks(sanitize_body(body or ""))
    return [("", AT_THE_END), (0, BEFORE_THE_FIRST)] + [
        (number, paragraph_label(number, block_words(block)))
        for number, block in enumerate(blocks, start=1)
    ]


class ParagraphSelect(forms.Select):
    """The paragraph list; a number that is not in it (a paragraph since deleted, or typed
    into the request) stays selected, so the form can say what is wrong with it."""

    def optgroups(self, name, value, attrs=None):
        known = {str(choice) for choice, _label in self.choices}
        missing = [v for v in value if v not in known]
        groups = super().optgroups(name, value, attrs)
        for extra in missing:
            groups.append(
                (
                    None,
                    [
                        self.create_option(
                            name, extra, f"After ¶{extra} (not in the story)", True, len(groups)
                        )
                    ],
                    len(groups),
                )
            )
        return groups
