"""load_img, img_to_array, array_to_img, save_img and smart_resize."""
from __future__ import annotations

import io

import numpy as np
import pytest

import tensorlet as tf

PIL = pytest.importorskip("PIL.Image")
utils = tf.keras.utils
kimage = tf.keras.preprocessing.image


def _png(path, array):
    PIL.fromarray(array).save(path)
    return str(path)


def test_load_img_color_modes_sizes_and_filters(tmp_path):
    rgb = (np.random.default_rng(0).random((10, 14, 3)) * 255).astype(np.uint8)
    path = _png(tmp_path / "a.png", rgb)
    img = utils.load_img(path)
    assert img.mode == "RGB" and img.size == (14, 10)
    np.testing.assert_array_equal(utils.img_to_array(img), rgb.astype(np.float32))
    assert utils.load_img(path, color_mode="grayscale").mode == "L"
    assert utils.img_to_array(utils.load_img(path, color_mode="rgba")).shape == (10, 14, 4)
    small = utils.load_img(path, target_size=(5, 7), interpolation="bilinear")
    assert small.size == (7, 5)
    kept = utils.load_img(path, target_size=(6, 6), keep_aspect_ratio=True)
    assert kept.size == (6, 6)
    with open(path, "rb") as f:
        assert utils.load_img(io.BytesIO(f.read())).size == (14, 10)
    with pytest.raises(ValueError, match="Invalid interpolation"):
        utils.load_img(path, target_size=(5, 5), interpolation="cubic")
    with pytest.raises(ValueError, match="color_mode"):
        utils.load_img(path, color_mode="cmyk")
    with pytest.warns(UserWarning, match="grayscale is deprecated"):
        assert utils.load_img(path, grayscale=True).mode == "L"


def test_img_to_array_and_array_to_img(tmp_path):
    x = np.arange(2 * 3 * 3, dtype=np.float32).reshape(2, 3, 3)
    img = utils.array_to_img(x, scale=False)
    assert img.mode == "RGB" and img.size == (3, 2)
    back = utils.img_to_array(img, data_format="channels_first")
    np.testing.assert_array_equal(back, x.transpose(2, 0, 1))
    scaled = utils.img_to_array(utils.array_to_img(x))
    assert scaled.min() == 0 and scaled.max() == 255
    assert utils.array_to_img(np.full((2, 2, 1), 1000.0), scale=False).mode == "I"
    assert utils.array_to_img(np.zeros((2, 2, 4))).mode == "RGBA"
    with pytest.raises(ValueError, match="rank 3"):
        utils.array_to_img(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="Unsupported channel number"):
        utils.array_to_img(np.zeros((2, 2, 5)))


def test_save_img_round_trip(tmp_path):
    x = (np.random.default_rng(1).random((6, 5, 3)) * 255).astype(np.float32)
    path = str(tmp_path / "out.png")
    kimage.save_img(path, x, scale=False)
    np.testing.assert_array_equal(utils.img_to_array(utils.load_img(path)), np.floor(x))
    with pytest.warns(UserWarning, match="RGBA"):
        kimage.save_img(str(tmp_path / "out.jpg"), np.zeros((4, 4, 4)), file_format="jpeg")


def test_smart_resize_crops_to_the_aspect_ratio_then_resizes():
    x = np.zeros((20, 40, 1), np.float32)
    x[:, 10:30] = 1.0  # the centred 20x20 window is all ones
    y = kimage.smart_resize(x, (8, 8))
    assert isinstance(y, np.ndarray) and y.shape == (8, 8, 1)
    np.testing.assert_allclose(y, 1.0)
    assert kimage.smart_resize(tf.zeros([2, 9, 6, 3]), (4, 4)).shape == (2, 4, 4, 3)
    first = kimage.smart_resize(np.zeros((3, 20, 40), np.float32), (5, 5), data_format="channels_first")
    assert first.shape == (3, 5, 5)
    with pytest.raises(ValueError, match="incorrect rank"):
        kimage.smart_resize(np.zeros((4, 4)), (2, 2))
