"""The moderators' workbench: the queue, each comment with its context, decisions and the log.

Comments, readers and the policy live in discussion; this room is the desk
moderators and editors work them from.
"""
