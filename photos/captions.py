"""Wire captions: when one is long enough to fold on a phone, and when it ends with the
photo's credit, which pages already show beside it.

Agencies end captions with the credit in their house style: "(Photo by Kevin
Frayer/Getty Images)", "(AP Photo/Eugene Hoshiko)", "REUTERS/Issei Kato",
"Photo: Jo Example", "— Jo Example". Pages print the credit line in its own
element, so readers would see it twice.
"""

import re

# Characters beyond which a caption opens folded on a phone: some four lines there.
LONG_CAPTION = 200

# Words that introduce a credit: "Photo by", "Photograph:", "Picture:", "Image by".
_INTRODUCTION = r"(?:photo(?:graph)?|picture|image)s?\s*(?:by\b|:)?"
# A credit may be one part of a slashed pair: "Kevin Frayer/Getty Images" credits
# both the photographer and the agency.
_OTHER_PART = r"[^()/.!?\n]{1,80}?"


def _credit_pattern(credit: str) -> str:
    """The credit, letting case, spacing and spaces around its slashes vary."""
    parts = [r"\s+".join(map(re.escape, part.split())) for part in credit.split("/")]
    return r"\s*/\s*".join(part for part in parts if part)


def _ending(credit: str) -> re.Pattern | None:
    pattern = _credit_pattern(credit)
    if not pattern:
        return None
    slashed = rf"(?:{_OTHER_PART}\s*/\s*)?{pattern}(?:\s*/\s*{_OTHER_PART})?"
    return re.compile(
        rf"""(?:
            \(\s*(?:{_INTRODUCTION}\s*)?{slashed}\s*\)       # (Photo by X), (X)
            | (?:[—–-]|\b{_INTRODUCTION})\s*{slashed}        # — X, Photo: X
            | (?:(?<=[.!?])|^)\s*{slashed}                   # X after a full stop
        )[\s.]*\Z""",
        re.IGNORECASE | re.VERBOSE,
    )


def _repeat(caption: str, credit: str) -> re.Match | None:
    ending = _ending(credit.strip())
    return ending.search(caption.rstrip()) if ending else None


def credit_repeated_in(caption: str, credit: str) -> str:
    """The phrase at the end of `caption` that repeats `credit`, as written there;
    empty when the caption does not end with it."""
    repeat = _repeat(caption, credit)
    return repeat.group(0).strip() if repeat else ""


def without_repeated_credit(caption: str, credit: str) -> str:
    """The caption with its repetition of the credit taken off the end."""
    repeat = _repeat(caption, credit)
    return caption[: repeat.start()].rstrip() if repeat else caption
