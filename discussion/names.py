"""Display names: the form they are stored in, and when two of them look alike.

A name is shown beside every comment, so it must neither pass for a member of
staff or another reader nor hide text, reorder the text around it or spill
over the comment above it.
"""

import unicodedata
from functools import cache

import icu
from django.conf import settings

RESERVED_NAMES = ("admin", "administrator", "moderator", "editor", "staff", "newsroom")

# Unicode categories a name may not contain: controls, formatting characters
# (bidi overrides and marks, zero-width spaces and joiners, soft hyphens),
# private-use, unassigned and surrogate code points.
REFUSED_CATEGORIES = {"Cc", "Cf", "Co", "Cn", "Cs"}
# Marks stacked on one letter beyond this are zalgo text that draws over the
# lines around it; Thai tone marks and Tibetan stacks need up to three.
MAX_STACKED_MARKS = 3


def normalise_display_name(name: str) -> str:
    """The name as stored: NFKC (fullwidth, ligature and styled letters made plain), with
    every run of spaces, tabs or line breaks made one space."""
    return " ".join(unicodedata.normalize("NFKC", name).split())


def has_invisible_characters(name: str) -> bool:
    """Whether the name holds characters that are not seen, or that change the direction
    or joining of the text around them; this includes the letters, such as the Hangul
    filler, that Unicode says to draw as nothing. Variation selectors (an emoji drawn as
    emoji) only choose how the character before them looks, so they may stay."""
    return any(
        unicodedata.category(char) in REFUSED_CATEGORIES
        or (
            icu.Char.hasBinaryProperty(char, icu.UProperty.DEFAULT_IGNORABLE_CODE_POINT)
            and not icu.Char.hasBinaryProperty(char, icu.UProperty.VARIATION_SELECTOR)
        )
        for char in name
    )


def has_stacked_marks(name: str) -> bool:
    stacked = 0
    for char in unicodedata.normalize("NFD", name):
        stacked = stacked + 1 if unicodedata.category(char) in ("Mn", "Me") else 0
        if stacked > MAX_STACKED_MARKS:
            return True
    return False


@cache
def _spoof_checker():
    # ICU documents a configured checker as safe to share between threads.
    return icu.SpoofChecker()


def name_skeleton(name: str) -> str:
    """What the name looks like, ignoring case: equal for names a reader would take for
    each other ("Εditor" with a Greek E and "editor", "Mоderatоr" with Cyrillic o's).

    The Unicode TR39 skeleton (ICU's confusable tables) maps look-alike characters
    to one prototype; it is case-sensitive, so it is taken again after case folding.
    TR39 gives capital I the prototype of small l, and names are compared ignoring
    case, so small i joins them.
    """
    skeleton = _spoof_checker().getSkeleton
    plain = normalise_display_name(name)
    return skeleton(0, skeleton(0, plain).casefold()).replace("i", "l")


def reserved_name_in(name: str) -> str | None:
    """The reserved name (a staff title or the site's name) that the name looks like."""
    skeleton = name_skeleton(name)
    for reserved in (*RESERVED_NAMES, settings.NEWSROOM_SITE_NAME):
        if name_skeleton(reserved) == skeleton:
            return reserved
    return None
