"""Image codecs: round trips, channel conversions, every format decode_image knows, JPEG shape and quality, errors,
and the message when Pillow is missing."""
from __future__ import annotations

import io

import numpy as np
import pytest

import tensorlet as tf

PIL = pytest.importorskip("PIL.Image")
RNG = np.random.default_rng(0)
yy, xx = np.mgrid[0:24, 0:32]
SMOOTH = np.stack([xx * 8, yy * 10, (xx + yy) * 4], -1).astype(np.uint8)


def _saved(array, fmt, **kw):
    buf = io.BytesIO()
    PIL.fromarray(array).save(buf, fmt, **kw)
    return buf.getvalue()


def test_png_round_trip_is_exact_for_every_channel_count():
    for c in (1, 2, 3, 4):
        image = (RNG.random((5, 7, c)) * 255).astype(np.uint8)
        data = tf.image.encode_png(image)
        assert data.dtype == tf.string
        np.testing.assert_array_equal(tf.image.decode_png(data).numpy(), image)
    wide = (RNG.random((5, 7, 1)) * 65535).astype(np.uint16)
    np.testing.assert_array_equal(tf.io.decode_png(tf.image.encode_png(wide), dtype=tf.uint16).numpy(), wide)


def test_png_channel_conversions():
    data = tf.image.encode_png(SMOOTH)
    assert tf.image.decode_png(data, channels=4).numpy()[..., 3].min() == 255
    gray = tf.image.decode_png(data, channels=1).numpy()
    c = SMOOTH.astype(int)
    want = (9797 * c[..., 0] + 19234 * c[..., 1] + 3737 * c[..., 2]) >> 15
    np.testing.assert_array_equal(gray[..., 0], want)
    assert tf.image.decode_png(tf.image.encode_png(SMOOTH[..., :1]), channels=3).shape == (24, 32, 3)


def test_jpeg_round_trip_is_close_and_quality_matters():
    good = tf.image.decode_jpeg(tf.image.encode_jpeg(SMOOTH, quality=95)).numpy()
    poor = tf.image.decode_jpeg(tf.image.encode_jpeg(SMOOTH, quality=10)).numpy()
    err_good = np.abs(good.astype(int) - SMOOTH).mean()
    assert err_good < 3 < np.abs(poor.astype(int) - SMOOTH).mean()
    assert tf.image.decode_jpeg(tf.image.encode_jpeg(SMOOTH), channels=1).shape == (24, 32, 1)


def test_jpeg_ratio_scales_while_decoding_and_crop_cuts():
    data = tf.image.encode_jpeg(SMOOTH)
    assert tf.image.decode_jpeg(data, ratio=2).shape == (12, 16, 3)
    assert tf.image.decode_jpeg(data, ratio=8).shape == (3, 4, 3)
    full = tf.image.decode_jpeg(data).numpy()
    np.testing.assert_array_equal(tf.image.decode_and_crop_jpeg(data, [2, 3, 10, 12]).numpy(), full[2:12, 3:15])
    np.testing.assert_array_equal(tf.image.extract_jpeg_shape(data).numpy(), [24, 32, 3])
    assert bool(tf.image.is_jpeg(data)) and not bool(tf.io.is_jpeg(tf.image.encode_png(SMOOTH)))


def test_decode_image_dispatches_on_the_header():
    for fmt in ("PNG", "BMP", "JPEG"):
        out = tf.image.decode_image(_saved(SMOOTH, fmt))
        assert out.shape == (24, 32, 3) and out.dtype == tf.uint8
    frames = [PIL.fromarray(SMOOTH), PIL.fromarray(255 - SMOOTH)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:])
    assert tf.image.decode_image(buf.getvalue()).shape == (2, 24, 32, 3)
    assert tf.image.decode_image(buf.getvalue(), expand_animations=False).shape == (24, 32, 3)
    assert tf.image.decode_gif(buf.getvalue()).shape == (2, 24, 32, 3)
    as_float = tf.image.decode_image(_saved(SMOOTH, "PNG"), dtype=tf.float32).numpy()
    np.testing.assert_allclose(as_float, SMOOTH / 255.0, atol=1e-6)
    assert tf.image.decode_bmp(_saved(SMOOTH, "BMP")).shape == (24, 32, 3)


def test_adjust_jpeg_quality_changes_pixels_and_keeps_dtype():
    image = SMOOTH.astype(np.float32) / 255
    out = tf.image.adjust_jpeg_quality(image, 5)
    assert out.dtype == tf.float32 and out.shape == image.shape
    assert 0 < np.abs(out.numpy() - image).mean() < 0.2
    assert tf.image.random_jpeg_quality(SMOOTH, 50, 90).dtype == tf.uint8
    a = tf.image.stateless_random_jpeg_quality(SMOOTH, 20, 90, seed=(1, 2)).numpy()
    np.testing.assert_array_equal(a, tf.image.stateless_random_jpeg_quality(SMOOTH, 20, 90, seed=(1, 2)).numpy())


@pytest.mark.parametrize("bad, error, match", [
    (lambda: tf.image.decode_jpeg(b"not an image"), tf.errors.InvalidArgumentError, "not a JPEG"),
    (lambda: tf.image.decode_image(b"\x00\x01\x02\x03"), tf.errors.InvalidArgumentError, "Unknown image file format"),
    (lambda: tf.image.decode_jpeg(b"\xff\xd8\xff", channels=2), ValueError, "channels must be one of"),
    (lambda: tf.image.decode_png(b"\x89PNG", dtype="float32"), ValueError, "uint8 or uint16"),
    (lambda: tf.image.encode_jpeg(SMOOTH.astype(np.float32)), TypeError, "uint8"),
    (lambda: tf.image.encode_png(SMOOTH[..., 0]), ValueError, "3-dimensional"),
    (lambda: tf.image.decode_png(["a", "b"]), ValueError, "scalar string"),
    # a JPEG cut in the middle of its entropy-coded data: the header parses, the pixels do not
    (lambda: tf.image.decode_jpeg(_saved(SMOOTH, "JPEG")[:-100]), tf.errors.InvalidArgumentError, "truncated"),
    (lambda: tf.image.decode_image(_saved(SMOOTH, "JPEG")[:-100]), tf.errors.InvalidArgumentError, "truncated"),
])
def test_codec_errors(bad, error, match):
    with pytest.raises(error, match=match):
        bad()


def test_missing_pillow_says_what_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pil(name, *args, **kwargs):
        if name == "PIL" or name.startswith("PIL."):
            raise ImportError("No module named 'PIL'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pil)
    with pytest.raises(ImportError, match=r"pip install 'tensorlet\[image\]'"):
        tf.image.decode_png(b"\x89PNG\r\n\x1a\n")
