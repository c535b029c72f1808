"""The affine resampler (SciPy's rules for orders 0 and 1) and Keras 2's single-image augmentation functions."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.preprocessing.image.affine_sampling import affine_transform

kimage = tf.keras.preprocessing.image
ROW = np.array([[1.0, 2.0, 3.0, 4.0]])


def _sample(c, mode, order=1, cval=9.0):
    return float(affine_transform(ROW, np.eye(2), np.array([0.0, c]), order=order, mode=mode, cval=cval)[0, 0])


@pytest.mark.parametrize("mode, expected", [
    ("nearest", [1.0, 1.0, 4.0, 4.0]), ("reflect", [1.5, 1.0, 4.0, 3.5]), ("mirror", [2.5, 1.75, 3.75, 2.5]),
    ("wrap", [2.5, 3.25, 1.25, 2.5]), ("constant", [9.0, 9.0, 9.0, 9.0]),
])
def test_fill_modes_outside_the_image(mode, expected):
    assert [_sample(c, mode) for c in (-1.5, -0.75, 3.25, 4.5)] == pytest.approx(expected)


def test_inside_the_image_order_1_is_linear_and_order_0_rounds_half_up():
    for mode in ("nearest", "reflect", "mirror", "wrap", "constant"):
        assert _sample(1.25, mode) == pytest.approx(2.25)
        assert _sample(1.5, mode, order=0) == 3.0


def test_integer_images_come_back_rounded_in_their_dtype():
    img = np.array([[0, 255], [10, 20]], np.uint8)
    out = affine_transform(img, np.eye(2) * 0.5, np.zeros(2), order=1, mode="nearest")
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(out, [[0, 128], [5, 71]])


def test_higher_orders_go_to_scipy_or_say_what_to_install():
    pytest.importorskip("scipy")
    out = affine_transform(np.random.default_rng(0).random((5, 5)), np.eye(2), np.zeros(2), order=3)
    assert out.shape == (5, 5)
    with pytest.raises(ValueError, match="between 0 and 5"):
        affine_transform(np.zeros((3, 3)), np.eye(2), np.zeros(2), order=7)


def test_apply_affine_transform_identity_rotation_and_flip_equivalences():
    x = np.random.default_rng(0).random((3, 5, 5))  # channels first: the functions' default axes
    assert kimage.apply_affine_transform(x) is x
    quarter = kimage.apply_affine_transform(x, theta=90)
    np.testing.assert_allclose(quarter, np.rot90(x, 1, axes=(1, 2)), atol=1e-12)
    shifted = kimage.apply_affine_transform(x, tx=1, fill_mode="constant", cval=-1)  # Keras' tx moves columns here
    np.testing.assert_allclose(shifted[:, :, :-1], x[:, :, 1:], atol=1e-12)
    np.testing.assert_array_equal(shifted[:, :, -1], -1)


def test_random_augmentations_are_reproducible_with_numpy_seed():
    x = np.random.default_rng(0).random((4, 6, 3))
    for fn, args in [(kimage.random_rotation, (30,)), (kimage.random_shift, (0.2, 0.2)), (kimage.random_shear, (20,)),
                     (kimage.random_zoom, ((0.7, 1.2),)), (kimage.random_channel_shift, (0.3,))]:
        kw = {} if fn is kimage.random_channel_shift else {"row_axis": 0, "col_axis": 1, "channel_axis": 2}
        np.random.seed(5)
        a = fn(x, *args, **kw) if fn is not kimage.random_channel_shift else fn(x, *args, channel_axis=2)
        np.random.seed(5)
        b = fn(x, *args, **kw) if fn is not kimage.random_channel_shift else fn(x, *args, channel_axis=2)
        np.testing.assert_array_equal(a, b)


def test_channel_shift_stays_within_the_original_range():
    x = np.random.default_rng(0).random((4, 4, 3))
    y = kimage.apply_channel_shift(x, 0.5, channel_axis=2)
    assert y.min() >= x.min() and y.max() <= x.max()


def test_brightness_shift_through_pillow():
    pytest.importorskip("PIL")
    x = np.full((4, 4, 3), 100.0)
    np.testing.assert_allclose(kimage.apply_brightness_shift(x, 1.5, scale=False), 150.0)
    with pytest.raises(ValueError, match="two floats"):
        kimage.random_brightness(x, (0.5,))


@pytest.mark.parametrize("bad, match", [
    (lambda: kimage.apply_affine_transform(np.zeros((3, 3)), theta=10), "rank 3"),
    (lambda: kimage.apply_affine_transform(np.zeros((3, 3, 3)), theta=10, row_axis=1, col_axis=1), "distinct"),
    (lambda: kimage.apply_affine_transform(np.zeros((3, 3, 3)), theta=10, row_axis=0, col_axis=2,
                                           channel_axis=1), "first and last"),
    (lambda: kimage.apply_affine_transform(np.zeros((3, 3, 3)), theta=10, fill_mode="edge"), "fill_mode"),
    (lambda: kimage.random_zoom(np.zeros((3, 3, 3)), (0.5, 1, 2)), "two floats"),
])
def test_affine_errors(bad, match):
    with pytest.raises(ValueError, match=match):
        bad()
