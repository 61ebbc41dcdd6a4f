import pytest
from PIL import Image

from imaging.renditions import crop_box, flattened, flattened_in_strips


def test_the_crop_box_keeps_the_focal_point_in_as_far_as_it_fits():
    assert crop_box((3000, 2000), 1.0, (0.9, 0.5)) == (1000, 0, 3000, 2000)
    assert crop_box((3000, 2000), 1.0, (0.1, 0.5)) == (0, 0, 2000, 2000)
    assert crop_box((3000, 2000), 1.0, (0.5, 0.5)) == (500, 0, 2500, 2000)
    assert crop_box((2000, 3000), 16 / 9, (0.5, 0.0)) == (0, 0, 2000, 1125)


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P", "I;16"])
def test_converting_strip_by_strip_gives_the_whole_frame_result(mode):
    # A pattern that changes every few rows, with hard edges, shows any seam between strips.
    rows = Image.linear_gradient("L").resize((700, 2100)).point(lambda v: (v * 7) % 256)
    source = {
        "RGBA": Image.merge("RGBA", (rows, rows.rotate(90), rows, rows)),
        "LA": Image.merge("LA", (rows, rows.transpose(Image.Transpose.FLIP_TOP_BOTTOM))),
        "P": rows.convert("P"),
        "I;16": rows.convert("I").point(lambda v: v * 256).convert("I;16"),
    }[mode]
    size = (233, 700)
    lanczos = Image.Resampling.LANCZOS
    whole = flattened(source).resize((233, 2100), lanczos).resize(size, lanczos)
    in_strips = flattened_in_strips(source, size, strip_pixels=700 * 37)
    assert (in_strips.mode, in_strips.size) == (whole.mode, size)
    assert in_strips.tobytes() == whole.tobytes()
