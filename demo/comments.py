"""Demo readers and a discussion under the lead story, written for this project."""

READERS = [
    ("quay.regular@example.org", "Quay Regular", "trusted"),
    ("night.nurse@example.org", "Night Shift Nurse", "trusted"),
]

# (key, reader email, text, key of the comment it replies to)
COMMENTS = [
    (
        "crane",
        "quay.regular@example.org",
        "My brother works the night crane on berth 5. Four people on a lift is not "
        "enough once the wind picks up off the strait.\n\nThe union is right on this one.",
        None,
    ),
    (
        "source",
        "night.nurse@example.org",
        "Is there anything published about the 'remotely monitored' equipment? The "
        "Courier piece linked in the sources doesn't mention it.",
        "crane",
    ),
    (
        "answer",
        "quay.regular@example.org",
        "The port authority's own annual report covers it, page 12 if I remember right.",
        "source",
    ),
    (
        "market",
        "night.nurse@example.org",
        "If the refrigerated boxes divert to other ports, the market traders on Lantern "
        "Row feel it first.",
        None,
    ),
]
