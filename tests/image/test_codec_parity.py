"""Codec parity with real TensorFlow (libjpeg-turbo and libpng inside TF, Pillow here).

Measured tolerances: PNG, BMP and GIF decode exactly; JPEG decodes exactly for grayscale output, 4:4:4 files,
``ratio`` 2/4/8 and ``dct_method="INTEGER_ACCURATE"``. TF's default for subsampled colour (4:2:2, 4:2:0) is the
fast integer IDCT with fancy upsampling, a pairing Pillow cannot select: there we decode with the accurate IDCT,
which differs by about 1 level on average (at most 5 levels on smooth images, up to 15 on noise at quality 95).
encode_jpeg writes the same bytes as TF (both drive libjpeg-turbo with libjpeg's quality tables).
"""
from __future__ import annotations

import io
import os

import numpy as np
import pytest

import tensorlet

pytestmark = pytest.mark.parity
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@pytest.fixture(scope="module")
def real_tf():
    pytest.importorskip("PIL")
    return pytest.importorskip("tensorflow")


def _pixels(noise=20, h=61, w=83):
    yy, xx = np.mgrid[0:h, 0:w]
    arr = np.stack([(xx * 7) % 256, (yy * 5) % 256, ((xx + yy) * 3) % 256], -1)
    return np.clip(arr + np.random.default_rng(0).integers(-noise, noise + 1, arr.shape), 0, 255).astype(np.uint8)


def _encoded(arr, fmt, **kw):
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(arr).save(buffer, format=fmt, **kw)
    return buffer.getvalue()


@pytest.mark.parametrize("channels", [0, 1, 3])
@pytest.mark.parametrize("quality", [75, 95])
def test_jpeg_decodes_exactly_without_chroma_subsampling(real_tf, channels, quality):
    data = _encoded(_pixels(), "JPEG", quality=quality, subsampling=0)
    for dct in ("", "INTEGER_ACCURATE"):
        ours = tensorlet.image.decode_jpeg(data, channels=channels, dct_method=dct).numpy()
        np.testing.assert_array_equal(ours, real_tf.io.decode_jpeg(data, channels=channels, dct_method=dct).numpy())


@pytest.mark.parametrize("subsampling", [1, 2])
def test_subsampled_jpeg_is_exact_accurate_and_within_the_stated_tolerance_by_default(real_tf, subsampling):
    smooth = _encoded(_pixels(noise=3), "JPEG", quality=90, subsampling=subsampling)
    exact = tensorlet.image.decode_jpeg(smooth, dct_method="INTEGER_ACCURATE").numpy()
    np.testing.assert_array_equal(exact, real_tf.io.decode_jpeg(smooth, dct_method="INTEGER_ACCURATE").numpy())
    np.testing.assert_array_equal(tensorlet.image.decode_jpeg(smooth, channels=1).numpy(),
                                  real_tf.io.decode_jpeg(smooth, channels=1).numpy())
    diff = np.abs(tensorlet.image.decode_jpeg(smooth).numpy().astype(int)
                  - real_tf.io.decode_jpeg(smooth).numpy().astype(int))
    assert diff.max() <= 6 and diff.mean() <= 1.5


@pytest.mark.parametrize("ratio", [2, 4, 8])
def test_jpeg_ratio_matches_tensorflow(real_tf, ratio):
    data = _encoded(_pixels(), "JPEG", quality=90, subsampling=0)
    np.testing.assert_array_equal(tensorlet.image.decode_jpeg(data, ratio=ratio).numpy(),
                                  real_tf.io.decode_jpeg(data, ratio=ratio).numpy())


@pytest.mark.parametrize("mode", ["L", "LA", "RGB", "RGBA"])
def test_png_decodes_exactly_and_our_png_decodes_in_tensorflow(real_tf, mode):
    from PIL import Image

    arr = np.asarray(Image.fromarray(_pixels()).convert(mode))
    data = _encoded(arr, "PNG")
    for channels in (0, 1, 3, 4):
        np.testing.assert_array_equal(tensorlet.image.decode_png(data, channels=channels).numpy(),
                                      real_tf.io.decode_png(data, channels=channels).numpy())
    ours = tensorlet.image.encode_png(tensorlet.image.decode_png(data)).numpy()
    np.testing.assert_array_equal(real_tf.io.decode_png(ours).numpy(), real_tf.io.decode_png(data).numpy())


def test_decode_image_of_bmp_and_gif_matches_tensorflow(real_tf):
    arr = _pixels()
    for fmt in ("BMP", "GIF"):
        data = _encoded(arr, fmt)
        ours = tensorlet.image.decode_image(data, channels=3, expand_animations=False).numpy()
        np.testing.assert_array_equal(ours, real_tf.io.decode_image(data, channels=3, expand_animations=False).numpy())


@pytest.mark.parametrize("quality", [75, 95])
@pytest.mark.parametrize("chroma_downsampling", [True, False])
def test_encode_jpeg_writes_the_bytes_tensorflow_writes(real_tf, quality, chroma_downsampling):
    arr = _pixels(noise=3)
    ours = tensorlet.image.encode_jpeg(tensorlet.constant(arr), quality=quality,
                                       chroma_downsampling=chroma_downsampling).numpy()
    assert ours == real_tf.io.encode_jpeg(arr, quality=quality, chroma_downsampling=chroma_downsampling).numpy()
