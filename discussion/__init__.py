"""Reader accounts and the moderated discussion under each story: its schema and its rules.

Its own app because the domain is large and separate from editing stories:
reader profiles with a public display name and a moderation status (with its
history), the moderation policy and the engine that applies it to every new
comment, posting, reports from readers and every decision moderators take.
What readers do and see in the thread is commenting's, which builds on this.
Comment storage, threading and follow-up emails come from django-comments-xtd;
everything that decides what readers see lives here.
"""
