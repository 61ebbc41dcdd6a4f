"""What our ninjs export and the wire import read the same way."""

# The association holding the story's lead photo; the others are its inline pictures.
LEAD_ASSOCIATION = "lead"

# ninjs has no place for a person inside an info source, but an info source may
# be a person: the one a cited report quotes follows that report's entry, with
# this role and their description (e.g. "Japan's trade minister") as its literal.
QUOTED_ROLE = "quoted"
