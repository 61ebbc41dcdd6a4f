"""The editors' desk: the story list and form, versions and conflicts, in Django's admin.

Stories and their rules live in articles; this room is where editors and
reporters work on them.
"""
