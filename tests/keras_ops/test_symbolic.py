"""keras.ops on the Functional API's symbolic tensors (Keras 3): each call becomes a KerasOpLayer, so models built
with ops predict, train, save and load."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet import keras
from tensorlet.keras import layers, ops

X = np.random.default_rng(0).normal(size=(8, 4)).astype(np.float32)


def build():
    inputs = keras.Input((4,), name="features")
    x = ops.expand_dims(inputs, -1)                        # (None, 4, 1)
    x = ops.concatenate([x, ops.square(x)], axis=-1)       # two symbolic arguments in a list
    x = layers.Dense(3)(x)
    x = ops.mean(x, axis=1)
    outputs = ops.nn.softmax(x)
    return keras.Model(inputs, outputs)


def test_symbolic_calls_build_layers_with_the_right_shapes():
    model = build()
    assert tuple(model.output.shape) == (None, 3)
    assert [type(layer).__name__ for layer in model.layers] == ["InputLayer", "Dense"]  # ops are hidden nodes
    assert [type(op).__name__ for op in model.operations].count("KerasOpLayer") == 5
    assert ops.shape(model.input) == (None, 4) and ops.ndim(model.input) == 2 and ops.dtype(model.input) == "float32"


def test_the_model_matches_the_same_ops_run_eagerly():
    model = build()
    dense = [la for la in model.layers if isinstance(la, layers.Dense)][0]
    x = np.expand_dims(X, -1)
    expected = ops.nn.softmax(ops.mean(dense(np.concatenate([x, x * x], axis=-1)), axis=1)).numpy()
    np.testing.assert_allclose(model.predict(X, verbose=0), expected, rtol=1e-5)


def test_the_model_trains_saves_and_loads(tmp_path):
    model = build()
    model.compile("adam", "categorical_crossentropy")
    y = np.eye(3, dtype=np.float32)[np.arange(8) % 3]
    history = model.fit(X, y, epochs=3, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    path = str(tmp_path / "ops_model.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)


def test_unknown_op_names_in_a_file_are_refused():
    from tensorlet.keras_ops.op_layer import KerasOpLayer

    with pytest.raises(ValueError, match="keras.ops has no function 'system'"):
        KerasOpLayer.from_config({"op": "system", "arguments": {"args": [], "kwargs": {}}})
    with pytest.raises(ValueError, match="no function '__class__'"):
        KerasOpLayer.from_config({"op": "__class__", "arguments": None})
    for name in ("types.ModuleType", "convert.np", "nn.__loader__", "nn", "image.resize.__globals__"):
        with pytest.raises(ValueError, match="keras.ops has no function"):
            KerasOpLayer.from_config({"op": name, "arguments": None})
    assert KerasOpLayer.from_config({"op": "image.resize", "arguments": None})._fn is ops.image.resize
