"""The discussion under a story as readers use it: the thread and what they do in it.

Showing the threads and the Editors' picks, the comment form, reporting,
editing and deleting one's own comments, recommending others', following a
story and the emails that brings, "My comments" and the display name. Every
rule about what is published, and every record, is discussion's: this room
asks it, and never the other way round.
"""
