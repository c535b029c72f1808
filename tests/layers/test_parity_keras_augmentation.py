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
