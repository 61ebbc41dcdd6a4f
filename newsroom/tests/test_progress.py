import io

from django.core.management.base import OutputWrapper

from newsroom.progress import show_progress


def drawn(*steps, **options):
    out = io.StringIO()
    stream = OutputWrapper(out)
    for done, total in steps:
        show_progress(stream, done, total, **options)
    return out.getvalue()


def test_the_bar_fills_in_proportion_and_redraws_over_itself():
    assert drawn((1, 3), (3, 3)) == (
        "\r[##########--------------------] 1/3\r[##############################] 3/3"
    )


def test_the_suffix_and_the_empty_mark_are_the_commands_own():
    assert drawn((1, 2), suffix=" 50%", empty=".") == "\r[###############...............] 1/2 50%"


def test_with_end_line_only_the_last_bar_ends_its_line():
    assert drawn((1, 2), (2, 2), suffix=" files", end_line=True) == (
        "\r[###############---------------] 1/2 files\r[##############################] 2/2 files\n"
    )
