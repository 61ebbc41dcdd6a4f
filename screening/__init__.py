"""Screening: scores a comment's text for abuse with a classifier that runs on this server."""
