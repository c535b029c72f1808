"""Random image augmentation layers: training-only behaviour, seeds, exact geometry, fill modes, config, fit."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet import backend
from tensorlet.keras import layers
from tensorlet.layers.preprocessing.image_augmentation import (
    RandomContrast,
    RandomCrop,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
)
from tensorlet.ops import image as image_ops
from tests.helpers.layer_contract import run_layer_test

LAYERS = [
    (RandomFlip, {"seed": 1}),
    (RandomFlip, {"mode": "vertical", "seed": 1}),
    (RandomRotation, {"factor": 0.2, "seed": 1}),
    (RandomRotation, {"factor": (-0.1, 0.3), "fill_mode": "constant", "interpolation": "nearest", "seed": 1}),
    (RandomTranslation, {"height_factor": 0.2, "width_factor": (-0.3, 0.1), "seed": 1}),
    (RandomZoom, {"height_factor": (-0.3, 0.3), "seed": 1}),
    (RandomZoom, {"height_factor": 0.2, "width_factor": (-0.5, -0.1), "fill_mode": "wrap", "seed": 1}),
    (RandomContrast, {"factor": 0.5, "value_range": (-10, 10), "seed": 1}),
]


def images(shape: tuple[int, ...] = (4, 6, 6, 3), seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0, 1, shape).astype("float32")


def run(layer, x, training=True):
    return np.asarray(layer(x, training=training))


@pytest.mark.parametrize("cls,kwargs", LAYERS)
def test_identity_at_inference(cls, kwargs):
    x = images()
    layer = cls(**kwargs)
    for y in (layer(x), layer(x, training=False)):
        assert np.asarray(y).dtype == np.float32
        np.testing.assert_array_equal(np.asarray(y), x)
    xi = (x * 10).astype("int32")
    np.testing.assert_array_equal(np.asarray(layer(xi)), xi)
    assert np.asarray(layer(xi)).dtype == np.int32


@pytest.mark.parametrize("cls,kwargs", LAYERS)
def test_training_changes_output_and_keeps_float_dtype(cls, kwargs):
    x = images((8, 6, 6, 3))
    layer = cls(**kwargs)
    y = run(layer, x)
    assert y.shape == x.shape and y.dtype == np.float32
    assert not np.allclose(y, x)
    assert run(layer, tf.constant(x.astype("float64"))).dtype == np.float64
    assert run(layer, (x * 255).astype("uint8")).dtype == np.float32


@pytest.mark.parametrize("cls,kwargs", LAYERS)
def test_seed_gives_reproducible_sequence(cls, kwargs):
    x = images((8, 6, 6, 3))
    a, b = cls(**kwargs), cls(**kwargs)
    first_a, first_b = run(a, x), run(b, x)
    np.testing.assert_array_equal(first_a, first_b)
    second_a = run(a, x)
    np.testing.assert_array_equal(second_a, run(b, x))
    assert not np.array_equal(first_a, second_a)  # a sequence, not one repeated draw


def test_unseeded_layers_follow_global_seed():
    x = images((8, 6, 6, 3))
    tf.random.set_seed(3)
    y1 = run(RandomRotation(0.3), x)
    tf.random.set_seed(3)
    y2 = run(RandomRotation(0.3), x)
    tf.random.set_seed(None)
    np.testing.assert_array_equal(y1, y2)


@pytest.mark.parametrize("mode,flips", [("horizontal", [(False, False), (True, False)]),
                                        ("vertical", [(False, False), (False, True)]),
                                        ("horizontal_and_vertical",
                                         [(False, False), (True, False), (False, True), (True, True)])])
def test_flip_is_exact(mode, flips):
    x = np.arange(16 * 4 * 5 * 2, dtype="float32").reshape(16, 4, 5, 2)
    y = run(RandomFlip(mode, seed=0), x)
    seen = set()
    for xi, yi in zip(x, y):
        options = {(h, v): xi[::-1 if v else 1, ::-1 if h else 1] for h, v in flips}
        match = [k for k, o in options.items() if np.array_equal(yi, o)]
        assert len(match) == 1
        seen.add(match[0])
    assert seen == set(flips)  # with 16 images every case shows up


def test_flip_unbatched_and_channels_first():
    x = images((5, 4, 3))
    y = run(RandomFlip("horizontal", seed=2), x)
    assert y.shape == x.shape
    assert np.array_equal(y, x) or np.array_equal(y, x[:, ::-1])
    xc = images((6, 3, 4, 5))  # (N, C, H, W)
    yc = run(RandomFlip("horizontal", seed=2, data_format="channels_first"), xc)
    for xi, yi in zip(xc, yc):
        assert np.array_equal(yi, xi) or np.array_equal(yi, xi[:, :, ::-1])


def test_rotation_quarter_turn_is_rot90_counter_clockwise():
    x = np.arange(3 * 5 * 5 * 2, dtype="float32").reshape(3, 5, 5, 2)
    y = run(RandomRotation((0.25, 0.25), interpolation="nearest"), x)
    np.testing.assert_array_equal(y, np.rot90(x, k=1, axes=(1, 2)))
    y = run(RandomRotation((-0.25, -0.25)), x)  # bilinear lands on pixel centres too
    np.testing.assert_allclose(y, np.rot90(x, k=-1, axes=(1, 2)), atol=1e-4)
    y = run(RandomRotation((0.5, 0.5), interpolation="nearest"), x[0])  # unbatched
    np.testing.assert_array_equal(y, x[0, ::-1, ::-1])


def test_rotation_channels_first_matches_channels_last():
    x = images((2, 5, 5, 3))
    last = run(RandomRotation(0.3, seed=4), x)
    first = run(RandomRotation(0.3, seed=4, data_format="channels_first"), x.transpose(0, 3, 1, 2))
    np.testing.assert_allclose(first.transpose(0, 2, 3, 1), last, atol=1e-6)


def test_translation_shifts_and_fills_with_constant():
    x = np.arange(1, 26, dtype="float32").reshape(1, 5, 5, 1)
    down = run(RandomTranslation((0.2, 0.2), 0.0, fill_mode="constant", fill_value=-1.0), x)[0, :, :, 0]
    np.testing.assert_array_equal(down[0], -1.0)
    np.testing.assert_array_equal(down[1:], x[0, :4, :, 0])
    left = run(RandomTranslation(0.0, (-0.4, -0.4), fill_mode="constant", fill_value=7.0), x)[0, :, :, 0]
    np.testing.assert_array_equal(left[:, :3], x[0, :, 2:, 0])
    np.testing.assert_array_equal(left[:, 3:], 7.0)


@pytest.mark.parametrize("fill_mode,right,left", [
    ("reflect", [2, 1, 1, 2], [3, 4, 4, 3]),   # d c b a | a b c d | d c b a
    ("wrap", [3, 4, 1, 2], [3, 4, 1, 2]),      # a b c d | a b c d | a b c d
    ("nearest", [1, 1, 1, 2], [3, 4, 4, 4]),   # a a a a | a b c d | d d d d
    ("constant", [9, 9, 1, 2], [3, 4, 9, 9]),  # k k k k | a b c d | k k k k
])
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_fill_modes_on_a_row(fill_mode, right, left, interpolation):
    row = np.array([1, 2, 3, 4], dtype="float32").reshape(1, 1, 4, 1)
    kw = {"fill_mode": fill_mode, "interpolation": interpolation, "fill_value": 9.0}
    y = run(RandomTranslation(0.0, (0.5, 0.5), **kw), row)
    np.testing.assert_allclose(y.ravel(), right)
    y = run(RandomTranslation(0.0, (-0.5, -0.5), **kw), row)
    np.testing.assert_allclose(y.ravel(), left)


def test_zoom():
    x = images((3, 7, 7, 2))
    np.testing.assert_allclose(run(RandomZoom((0.0, 0.0)), x), x, atol=1e-6)
    np.testing.assert_allclose(run(RandomZoom(0.0, 0.0, interpolation="nearest"), x), x)
    # zoom out by 100% with a constant fill: the middle pixel stays, the border samples outside the image
    out = run(RandomZoom((1.0, 1.0), fill_mode="constant", fill_value=-5.0, interpolation="nearest"), x)
    np.testing.assert_array_equal(out[:, 3, 3], x[:, 3, 3])
    np.testing.assert_array_equal(out[:, 0], -5.0)
    np.testing.assert_array_equal(out[:, 2, 2], x[:, 1, 1])
    # zoom in by 50%: the central 3.5 pixels fill the image, nothing comes from outside
    zin = run(RandomZoom((-0.5, -0.5), fill_mode="constant", fill_value=-5.0), x)
    assert zin.min() >= 0 and np.allclose(zin[:, 3, 3], x[:, 3, 3])
    # width_factor set separately: only the width is zoomed
    w = run(RandomZoom(0.0, (1.0, 1.0), fill_mode="constant", fill_value=-5.0, interpolation="nearest"), x)
    np.testing.assert_array_equal(w[:, :, 3], x[:, :, 3])
    np.testing.assert_array_equal(w[:, :, 0], -5.0)


def test_affine_transform_helper_accepts_matrix_forms():
    x = images((2, 4, 4, 1))
    m = backend.to_numpy(image_ops.translation_matrices([1.0, 0.0], [0.0, 1.0]))
    flat = np.concatenate([m.reshape(2, 6), np.zeros((2, 2))], axis=1)
    a = backend.to_numpy(image_ops.affine_transform(x, m, fill_mode="constant"))
    np.testing.assert_allclose(backend.to_numpy(image_ops.affine_transform(x, flat, fill_mode="constant")), a)
    np.testing.assert_allclose(a[0, :, 1:], x[0, :, :-1])
    np.testing.assert_allclose(a[1, 1:], x[1, :-1])
    with pytest.raises(ValueError, match="fill_mode"):
        image_ops.affine_transform(x, m, fill_mode="mirror")


def test_contrast():
    x = images((4, 5, 5, 3)) * 100 + 50
    y = run(RandomContrast((0.5, 0.5), value_range=(0, 255), seed=0), x)
    np.testing.assert_allclose(y.mean(axis=(1, 2)), x.mean(axis=(1, 2)), rtol=1e-5)
    c = (y - y.mean(axis=(1, 2), keepdims=True)) / (x - x.mean(axis=(1, 2), keepdims=True))
    per_image = c.reshape(4, -1)
    assert np.allclose(per_image, per_image[:, :1], rtol=1e-3) and (per_image >= 0.5 - 1e-4).all()
    assert (per_image <= 1.5 + 1e-4).all()
    np.testing.assert_allclose(run(RandomContrast(0.0, seed=0), x), x, rtol=1e-6)
    clipped = run(RandomContrast((0.0, 1.0), value_range=(60, 120), seed=0), x)
    assert clipped.min() >= 60 and clipped.max() <= 120


def test_crop():
    x = images((3, 6, 8, 2))
    layer = RandomCrop(4, 5, seed=0)
    y = run(layer, x)
    assert y.shape == (3, 4, 5, 2)
    hits = [(t, l) for t in range(3) for l in range(4) if np.array_equal(y, x[:, t:t + 4, l:l + 5])]
    assert len(hits) == 1  # one window, shared by the batch
    assert layer.compute_output_shape((None, 6, 8, 2)) == (None, 4, 5, 2)
    wide = images((2, 4, 8, 1))
    np.testing.assert_allclose(run(RandomCrop(4, 4), wide, training=False), wide[:, :, 2:6], atol=1e-6)
    small = run(RandomCrop(8, 8, seed=0), images((2, 4, 4, 1)))  # smaller than the target: resized
    assert small.shape == (2, 8, 8, 1)
    cf = RandomCrop(4, 5, seed=0, data_format="channels_first")
    assert run(cf, x.transpose(0, 3, 1, 2)).shape == (3, 2, 4, 5)


@pytest.mark.parametrize("cls,kwargs", LAYERS)
def test_gradient_is_the_adjoint_of_the_transform(cls, kwargs):
    # for one draw the augmentation is linear in the images: <A d, w> == <d, A^T w> with A^T w the gradient
    x, w, d = (images((2, 5, 5, 2), seed=s).astype("float64") for s in (0, 1, 2))
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(cls(**kwargs)(xt, training=True) * tf.constant(w))
    g = np.asarray(tape.gradient(loss, xt))
    base = (run(cls(**kwargs), tf.constant(x)) * w).sum()  # a fresh layer with the seed repeats the draw
    bumped = (run(cls(**kwargs), tf.constant(x + d)) * w).sum()
    np.testing.assert_allclose(bumped - base, (g * d).sum(), rtol=1e-8)


@pytest.mark.parametrize("cls,kwargs", LAYERS)
def test_config_round_trip(cls, kwargs):
    layer = cls(**kwargs, name="aug")
    config = layer.get_config()
    for key in kwargs:
        assert key in config
    clone = cls.from_config(config)
    assert clone.get_config() == config
    x = images()
    np.testing.assert_array_equal(run(layer, x), run(clone, x))


@pytest.mark.parametrize("cls,kwargs", LAYERS + [(RandomCrop, {"height": 6, "width": 6, "seed": 1})])
def test_layer_contract(cls, kwargs):
    run_layer_test(cls, kwargs, (2, 6, 6, 3), expected_output_shape=(2, 6, 6, 3), expected_num_trainable=0)


def test_crop_layer_contract():
    run_layer_test(RandomCrop, {"height": 4, "width": 3, "seed": 1}, (2, 6, 6, 3),
                   expected_output_shape=(2, 4, 3, 3), expected_num_trainable=0)


def test_inside_sequential_fit():
    tf.random.set_seed(0)
    model = tf.keras.Sequential([layers.Input((8, 8, 1)), RandomFlip(seed=1), RandomRotation(0.1, seed=2),
                                 layers.Flatten(), layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    x = images((16, 8, 8, 1))
    y = np.random.default_rng(1).standard_normal((16, 2)).astype("float32")
    history = model.fit(x, y, epochs=2, batch_size=4, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    p1, p2 = model.predict(x, verbose=0), model.predict(x, verbose=0)
    np.testing.assert_array_equal(p1, p2)
    flat_model = tf.keras.Sequential([layers.Input((8, 8, 1)), layers.Flatten(), layers.Dense(2)])
    flat_model.layers[-1].set_weights(model.layers[-1].get_weights())
    np.testing.assert_allclose(p1, flat_model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_training_step_replays_draw_fresh_randomness():
    # a traced train step is replayed on later batches: the augmentation must not be frozen into it
    seen = []

    class Spy(RandomFlip):
        def _augment(self, images, rng, training):
            y, back = super()._augment(images, rng, training)
            seen.append(y.copy())
            return y, back

    model = tf.keras.Sequential([layers.Input((4, 4, 1)), Spy("horizontal", seed=0), layers.Flatten(),
                                 layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.repeat(images((1, 4, 4, 1)), 8, axis=0)
    model.fit(x, np.zeros((8, 1), "float32"), epochs=4, batch_size=8, verbose=0)
    assert len(seen) >= 4
    assert len({arr.tobytes() for arr in seen}) > 1


@pytest.mark.parametrize("make,match", [
    (lambda: RandomFlip("diagonal"), r"mode.*diagonal"),
    (lambda: RandomFlip(data_format="nhwc"), r"data_format.*nhwc"),
    (lambda: RandomFlip(seed=1.5), r"seed"),
    (lambda: RandomRotation("big"), r"factor.*big"),
    (lambda: RandomRotation((0.3, 0.1)), r"factor.*lower bound"),
    (lambda: RandomRotation((0.1, 0.2, 0.3)), r"factor"),
    (lambda: RandomRotation(0.1, fill_mode="mirror"), r"fill_mode.*mirror"),
    (lambda: RandomRotation(0.1, interpolation="bicubic"), r"interpolation.*bicubic"),
    (lambda: RandomRotation(0.1, fill_value="zero"), r"fill_value"),
    (lambda: RandomTranslation(1.5, 0.1), r"height_factor.*\[-1\.0, 1\.0\].*1\.5"),
    (lambda: RandomTranslation(0.1, (-2, 0)), r"width_factor.*\(-2, 0\)"),
    (lambda: RandomZoom((-1.2, 0.2)), r"height_factor"),
    (lambda: RandomZoom(0.2, width_factor=3.0), r"width_factor.*3\.0"),
    (lambda: RandomContrast(1.5), r"factor.*1\.5"),
    (lambda: RandomContrast(-0.1), r"factor"),
    (lambda: RandomContrast(0.1, value_range=(1, 0)), r"value_range"),
    (lambda: RandomCrop(0, 4), r"height.*0"),
    (lambda: RandomCrop(4, 2.5), r"width.*2\.5"),
])
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_input_rank():
    with pytest.raises(ValueError, match="3D .*4D"):
        RandomFlip()(np.zeros((2, 3), "float32"), training=True)
