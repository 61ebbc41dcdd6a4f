"""The XSS corpus itself: big enough, every family present, every runnable payload traceable."""

import base64
import re

from newsroom.tests.xss import NEWLINE, NUMBER, load_corpus

FAMILIES = {
    "script tags",
    "event handlers",
    "javascript:, data: and vbscript: URLs",
    "SVG vectors",
    "MathML vectors",
    "broken markup and parser confusion",
    "attribute and string breakouts",
    "unicode tricks",
    "template syntax",
    "aimed at this site",
    "style and CSS",
}
RUNNABLE = re.compile(r"<script|\bon\w+\s*=|javascript|vbscript|srcdoc|expression\(", re.I)
# The argument of a marker call: (17), `17` or &lpar;17&rpar;, however the name is spelt.
MARKER_ARGUMENT = re.compile(r"(?:\(|`|&lpar;)(\d+)(?:\)|`|&rpar;)")
BASE64 = re.compile(r"[A-Za-z0-9+/]{8,}={0,2}")


def test_the_corpus_has_150_distinct_payloads_in_every_family():
    corpus = load_corpus()
    texts = [payload.text for payload in corpus]
    families = {payload.family for payload in corpus}
    print(f"{len(corpus)} payloads, {len(set(texts))} distinct, in {len(families)} families")
    assert len(set(texts)) == len(texts) >= 150
    assert families == FAMILIES
    assert not any(NUMBER in text or NEWLINE in text for text in texts)
    assert any("\n" in text for text in texts)


def test_every_runnable_payload_calls_a_numbered_marker():
    """A payload that ran is reported by number; encoded ones that cannot carry it say 0."""
    unmarked, misnumbered = [], []
    for payload in load_corpus():
        if not RUNNABLE.search(payload.text):
            continue
        decoded = [
            base64.b64decode(chunk).decode(errors="replace")
            for chunk in BASE64.findall(payload.text)
            if len(chunk) % 4 == 0
        ]
        numbers = {int(n) for n in MARKER_ARGUMENT.findall(" ".join([payload.text, *decoded]))}
        if not numbers:
            unmarked.append(payload)
        elif not numbers <= {payload.number, 0}:
            misnumbered.append(payload)
    print(f"unmarked: {unmarked}\nmisnumbered: {misnumbered}")
    assert not unmarked and not misnumbered
