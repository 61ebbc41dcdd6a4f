"""Image files, knowing no model: checking an upload, reading its metadata, making renditions.

A room of its own, below the photo library, because this is Pillow work that
needs no database: the library (and the benchmarks) call it with an opened
file and store what it returns.
"""
