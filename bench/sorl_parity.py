"""sorl-thumbnail's PIL engine, encoding with our settings instead of its fixed ones.

In its own module because sorl imports the engine by dotted path: importing
the benchmark script a second time would set Django up again.
"""

import io

from sorl.thumbnail.engines.pil_engine import Engine

from imaging.renditions import SAVE_OPTIONS


class ParityEngine(Engine):
    def _get_raw_data(self, image, format_, quality, image_info=None, progressive=False):
        buffer = io.BytesIO()
        image.save(buffer, **SAVE_OPTIONS[format_.lower()])
        return buffer.getvalue()
