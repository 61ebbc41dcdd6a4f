"""A reader's own account: what they are emailed about, their data, and leaving."""
