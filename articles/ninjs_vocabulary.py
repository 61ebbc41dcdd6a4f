"""What our ninjs export and the wire import read the same way."""

# The association holding the story's lead photo; the others are its inline pictures.
LEAD_ASSOCIATION = "lead"
