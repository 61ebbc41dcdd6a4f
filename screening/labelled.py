"""The labelled comments the classifier is measured on (the benchmark and the tests).

Written for this project: news-site discussion under stories about a trade
minister, a typhoon, a court ruling, a football club and the paper itself.
Each row has the text, a label (`abusive` or `clean`) and a category. Spam is
labelled clean: screening looks for abuse, and the link and word rules are
there for spam; its hold rate is reported all the same.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

PATH = Path(__file__).resolve().parent / "tests" / "data" / "comments.csv"


@dataclass(frozen=True)
class Labelled:
    text: str
    abusive: bool
    category: str


def labelled_comments() -> list[Labelled]:
    with PATH.open(newline="", encoding="utf-8") as data:
        return [
            Labelled(row["text"], row["label"] == "abusive", row["category"])
            for row in csv.DictReader(data)
        ]
