"""The progress bar of the long management commands, redrawn in place on one line."""

BAR_WIDTH = 30


def show_progress(stream, done: int, total: int, *, suffix="", empty="-", end_line=False):
    """Draws `[#####-----] done/total` and the suffix over the line's previous bar.

    `stream` is a command's `self.stdout` or `self.stderr`; with `end_line` the
    last bar ends its line, so what the command writes next starts on a new one.
    """
    filled = BAR_WIDTH * done // total
    bar = "#" * filled + empty * (BAR_WIDTH - filled)
    ending = "\n" if end_line and done == total else ""
    stream.write(f"\r[{bar}] {done}/{total}{suffix}", ending=ending)
    stream.flush()
