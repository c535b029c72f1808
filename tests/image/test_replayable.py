"""Every tf.image op replays in a traced function: the images, boxes, factors and seeds it is given are inputs of
the traced plan, never values read at trace time. Each case runs under ``tf.function`` on two inputs of one
signature; the second call (a replay) must equal the eager result without a retrace or a fallback to eager."""
from __future__ import annotations

import io
import warnings

import numpy as np
import pytest

import tensorlet as tf


def image(*shape):
    return lambda rng: tf.constant(rng.random(shape).astype("float32"))


def uint8_image(*shape):
    return lambda rng: tf.constant(rng.integers(0, 256, shape).astype("uint8"))


def scalar(lo, hi):
    return lambda rng: tf.constant(np.float32(rng.uniform(lo, hi)))


def seed():
    return lambda rng: tf.constant(rng.integers(0, 1000, 2).astype("int32"))


def boxes(n):
    def make(rng):
        corners = np.sort(rng.random((n, 2, 2)).astype("float32"), axis=1)
        return tf.constant(corners.transpose(0, 2, 1).reshape(n, 4)[:, [0, 2, 1, 3]])
    return make


def scores(n):
    return lambda rng: tf.constant(rng.random(n).astype("float32"))


def png(*shape):
    def make(rng):
        pytest.importorskip("PIL")
        from PIL import Image

        buffer = io.BytesIO()
        Image.fromarray(rng.integers(0, 256, shape).astype("uint8")).save(buffer, format="PNG")
        return tf.constant(buffer.getvalue())
    return make


def args(*makers):
    return lambda s: [m(np.random.default_rng(s)) for m in makers]


CASES = [
    ("resize bilinear", lambda x: tf.image.resize(x, (5, 7)), args(image(2, 8, 6, 3))),
    ("resize area", lambda x: tf.image.resize(x, (3, 4), method="area"), args(image(8, 9, 2))),
    ("resize lanczos3 antialias", lambda x: tf.image.resize(x, (3, 4), method="lanczos3", antialias=True),
     args(image(8, 9, 1))),
    ("resize nearest uint8", lambda x: tf.image.resize(x, (5, 5), method="nearest"), args(uint8_image(4, 4, 3))),
    ("resize_with_pad", lambda x: tf.image.resize_with_pad(x, 6, 6), args(image(4, 8, 3))),
    ("crop_to_bounding_box", lambda x: tf.image.crop_to_bounding_box(x, 1, 2, 3, 3), args(image(6, 6, 1))),
    ("pad_to_bounding_box", lambda x: tf.image.pad_to_bounding_box(x, 1, 2, 6, 7), args(image(3, 3, 2))),
    ("resize_with_crop_or_pad", lambda x: tf.image.resize_with_crop_or_pad(x, 4, 8), args(image(6, 5, 1))),
    ("central_crop", lambda x: tf.image.central_crop(x, 0.5), args(image(2, 8, 8, 3))),
    ("stateless_random_crop", lambda x, s: tf.image.stateless_random_crop(x, (3, 3, 1), s),
     args(image(6, 6, 1), seed())),
    ("flips", lambda x: tf.image.flip_left_right(tf.image.flip_up_down(x)), args(image(2, 3, 4, 1))),
    ("rot90 and transpose", lambda x: tf.image.transpose(tf.image.rot90(x, k=3)), args(image(3, 4, 2))),
    ("stateless_random_flip", lambda x, s: tf.image.stateless_random_flip_left_right(x, s),
     args(image(4, 3, 3, 1), seed())),
    ("adjust_brightness tensor delta", tf.image.adjust_brightness, args(image(3, 3, 3), scalar(-0.3, 0.3))),
    ("adjust_contrast", tf.image.adjust_contrast, args(image(2, 3, 3, 3), scalar(0.5, 2.0))),
    ("adjust_gamma", tf.image.adjust_gamma, args(image(3, 3, 3), scalar(0.5, 2.0))),
    ("adjust_saturation", tf.image.adjust_saturation, args(image(3, 3, 3), scalar(0.2, 2.0))),
    ("adjust_hue", tf.image.adjust_hue, args(image(3, 3, 3), scalar(-0.4, 0.4))),
    ("stateless_random_brightness", lambda x, s: tf.image.stateless_random_brightness(x, 0.2, s),
     args(image(3, 3, 3), seed())),
    ("stateless_random_contrast", lambda x, s: tf.image.stateless_random_contrast(x, 0.5, 1.5, s),
     args(image(3, 3, 3), seed())),
    ("stateless_random_saturation", lambda x, s: tf.image.stateless_random_saturation(x, 0.5, 1.5, s),
     args(image(3, 3, 3), seed())),
    ("stateless_random_hue", lambda x, s: tf.image.stateless_random_hue(x, 0.2, s), args(image(3, 3, 3), seed())),
    ("per_image_standardization", tf.image.per_image_standardization, args(image(2, 4, 4, 3))),
    ("convert_image_dtype", lambda x: tf.image.convert_image_dtype(x, tf.float32), args(uint8_image(3, 3, 3))),
    ("convert_image_dtype to uint8", lambda x: tf.image.convert_image_dtype(x, tf.uint8, saturate=True),
     args(image(3, 3, 3))),
    ("rgb_to_hsv round trip", lambda x: tf.image.hsv_to_rgb(tf.image.rgb_to_hsv(x)), args(image(3, 3, 3))),
    ("rgb_to_grayscale", tf.image.rgb_to_grayscale, args(image(2, 3, 3, 3))),
    ("grayscale_to_rgb", tf.image.grayscale_to_rgb, args(image(3, 3, 1))),
    ("yiq and yuv", lambda x: tf.image.rgb_to_yiq(x) + tf.image.rgb_to_yuv(x), args(image(3, 3, 3))),
    ("extract_patches", lambda x: tf.image.extract_patches(x, [1, 2, 2, 1], [1, 1, 2, 1], [1, 1, 1, 1], "VALID"),
     args(image(1, 5, 5, 2))),
    ("psnr", lambda a, b: tf.image.psnr(a, b, 1.0), args(image(2, 8, 8, 3), image(2, 8, 8, 3))),
    ("ssim", lambda a, b: tf.image.ssim(a, b, 1.0, filter_size=3), args(image(1, 8, 8, 1), image(1, 8, 8, 1))),
    ("sobel_edges", tf.image.sobel_edges, args(image(1, 5, 5, 2))),
    ("image_gradients", lambda x: tf.image.image_gradients(x)[1], args(image(1, 4, 5, 2))),
    ("total_variation", tf.image.total_variation, args(image(2, 4, 4, 3))),
    ("crop_and_resize", lambda x, b: tf.image.crop_and_resize(x, b, tf.constant([0, 1, 0]), (3, 4)),
     args(image(2, 6, 6, 2), boxes(3))),
    ("non_max_suppression", lambda b, s: tf.image.non_max_suppression(b, s, 3, 0.3),
     args(boxes(8), scores(8))),
    ("non_max_suppression_with_scores", lambda b, s: tf.image.non_max_suppression_with_scores(b, s, 3)[1],
     args(boxes(8), scores(8))),
    ("non_max_suppression_padded", lambda b, s: tf.image.non_max_suppression_padded(b, s, 4, pad_to_max_output_size=True)[0],
     args(boxes(8), scores(8))),
    ("draw_bounding_boxes", lambda x, b: tf.image.draw_bounding_boxes(x, tf.reshape(b, (1, 2, 4)),
                                                                      tf.constant([[1.0, 0.0, 0.0, 1.0]])),
     args(image(1, 8, 8, 4), boxes(2))),
    ("decode_png", lambda c: tf.image.decode_png(c, channels=3), args(png(4, 5, 3))),
    ("decode_image", lambda c: tf.image.decode_image(c, channels=3), args(png(4, 5, 3))),
]


@pytest.mark.parametrize("name,fn,make", CASES, ids=[c[0] for c in CASES])
def test_image_op_replays_with_new_values(name, fn, make):
    traced = tf.function(fn)
    first, second = make(1), make(2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # falling back to eager execution warns: not allowed here
        traced(*first)
        replayed = traced(*second)
    expected = fn(*second)
    np.testing.assert_allclose(tf.convert_to_tensor(replayed).numpy(), expected.numpy(), rtol=1e-5, atol=1e-6)
    assert traced.experimental_get_tracing_count() == 1
