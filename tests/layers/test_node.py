"""KerasTensor operators build the merge layers Keras builds for them."""
from __future__ import annotations

import numpy as np

from tensorlet.keras import layers, models


def test_keras_tensor_operators_add_merge_layers():
    a, b = layers.Input(shape=(3,)), layers.Input(shape=(3,))
    outputs = [a + b, a - b, a * b, b.__radd__(a), b.__rmul__(a)]
    assert [type(t._keras_history[0]) for t in outputs] == [layers.Add, layers.Subtract, layers.Multiply,
                                                             layers.Add, layers.Multiply]
    model = models.Model([a, b], outputs)
    x, y = np.arange(6, dtype="float32").reshape(2, 3), np.full((2, 3), 2.0, "float32")
    got = model.predict([x, y], verbose=0)
    for value, expected in zip(got, [x + y, x - y, x * y, x + y, x * y]):
        np.testing.assert_allclose(value, expected)
