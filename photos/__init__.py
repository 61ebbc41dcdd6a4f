"""The photo library.

Photos are their own app because the domain outgrows the articles app: a photo
is a library item reused across many stories, with its own metadata (caption,
credit, photographer, copyright, alt text) read from wire files, its own
storage and renditions, and its own admin desk. Articles only *place* photos.
"""
