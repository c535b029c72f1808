"""A folder of real image files (PNG and JPEG, nested folders, a non-image file, a hidden folder) per test."""
from __future__ import annotations

import os

import numpy as np
import pytest

CLASSES = ("cats", "dogs", "zebra")


def write_image_folder(root: str, per_class: tuple[int, ...] = (7, 8, 9), jpeg_subsampling: int = 0) -> str:
    """``root/<class>/img_<i>.<ext>`` in PNG, JPG, JPEG and upper-case PNG, one file in a subfolder, and noise."""
    from PIL import Image

    rng = np.random.default_rng(0)
    for c, (name, count) in enumerate(zip(CLASSES, per_class)):
        os.makedirs(os.path.join(root, name, "sub"), exist_ok=True)
        for i in range(count):
            h, w = (int(v) for v in rng.integers(20, 60, 2))
            yy, xx = np.mgrid[0:h, 0:w]
            arr = np.stack([(xx * 7 + c * 40) % 256, (yy * 5) % 256, ((xx + yy) * 3) % 256], -1)
            arr = np.clip(arr + rng.integers(-10, 10, arr.shape), 0, 255).astype(np.uint8)
            ext = ("png", "jpg", "jpeg", "PNG")[i % 4]
            folder = os.path.join(root, name, "sub" if i == 3 else "")
            path = os.path.join(folder, f"img_{i}.{ext}")
            if ext in ("jpg", "jpeg"):
                Image.fromarray(arr).save(path, quality=90, subsampling=jpeg_subsampling)
            else:
                Image.fromarray(arr).save(path)
        with open(os.path.join(root, name, "notes.txt"), "w") as f:
            f.write("not an image")
    os.makedirs(os.path.join(root, ".hidden"), exist_ok=True)
    return root


@pytest.fixture
def image_folder(tmp_path):
    pytest.importorskip("PIL")
    return write_image_folder(str(tmp_path / "images"))
