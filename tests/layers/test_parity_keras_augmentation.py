"""Where Keras is installed: the geometric augmentation layers, pinned to one fixed transform, give Keras' pixels.

Not compared: fill_mode="wrap" (TensorFlow's kernel wraps with period size-1 near the edges, unlike the documented
``a b c d | a b c d`` layout that tensorlet follows) and RandomContrast (its factor is drawn from an interval,
so it cannot be pinned to one value).
"""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet.keras import layers

CASES = [
    ("RandomRotation", {"factor": (0.25, 0.25), "fill_mode": "constant", "interpolation": "nearest"}),
    ("RandomRotation", {"factor": (0.1, 0.1), "fill_mode": "reflect"}),
    ("RandomRotation", {"factor": (-0.1, -0.1), "fill_mode": "nearest"}),
    ("RandomTranslation", {"height_factor": (0.2, 0.2), "width_factor": (-0.3, -0.3), "fill_mode": "nearest"}),
    ("RandomTranslation", {"height_factor": (0.2, 0.2), "width_factor": (-0.3, -0.3), "fill_mode": "constant",
                           "fill_value": 3.0}),
    ("RandomZoom", {"height_factor": (0.3, 0.3), "width_factor": (-0.2, -0.2), "fill_mode": "reflect"}),
    ("RandomZoom", {"height_factor": (-0.3, -0.3), "fill_mode": "constant"}),
]


@pytest.mark.parity
@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_pinned_transform_matches_keras(name, kwargs):
    keras = pytest.importorskip("keras")
    x = np.random.default_rng(0).random((2, 7, 9, 2)).astype("float32") * 255
    theirs = np.asarray(getattr(keras.layers, name)(**kwargs, seed=1)(x, training=True))
    ours = np.asarray(getattr(layers, name)(**kwargs, seed=1)(x, training=True))
    np.testing.assert_allclose(ours, theirs, atol=1e-3)


@pytest.mark.parity
def test_augmentation_layers_travel_in_keras_files(tmp_path):
    """Saved with the augmentation layers, a model loads in Keras 3 and back, and predicts the same (inference
    skips augmentation). RandomCrop is left out: Keras 3.15 returns the uncropped input at inference although
    its compute_output_shape and documentation give the cropped size, which tensorlet follows."""
    keras = pytest.importorskip("keras")
    from tensorlet.keras import models

    model = models.Sequential([
        layers.Input((8, 8, 1)), layers.RandomFlip("horizontal", seed=1), layers.RandomRotation(0.1, seed=2),
        layers.RandomTranslation(0.1, 0.1, seed=3), layers.RandomZoom(0.1, seed=4),
        layers.RandomContrast(0.2, seed=5), layers.Rescaling(1 / 255.0), layers.Conv2D(2, 3), layers.Flatten(),
        layers.Dense(2),
    ])
    x = np.random.default_rng(0).random((2, 8, 8, 1)).astype("float32") * 255
    ours = str(tmp_path / "ours.keras")
    model.save(ours)
    theirs = keras.models.load_model(ours)
    np.testing.assert_allclose(np.asarray(theirs.predict(x, verbose=0)), model.predict(x, verbose=0), atol=1e-5)
    back_path = str(tmp_path / "theirs.keras")
    theirs.save(back_path)
    back = models.load_model(back_path)
    np.testing.assert_allclose(back.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
    assert back.layers[1].get_config()["factor"] == [-0.1, 0.1]
