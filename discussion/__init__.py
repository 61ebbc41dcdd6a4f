"""Reader accounts and the moderated discussion under each story.

Its own app because the domain is large and separate from editing stories:
reader profiles with a public display name and a moderation status (with its
history), the moderation policy and the engine that applies it to every new
comment, flags from readers, the moderators' desk, and the reader's own
"My comments" page. Comment storage, threading and follow-up emails come from
django-comments-xtd; everything that decides what readers see lives here.
"""
