"""Hidden graph operations (Keras 3's ops.add / ops.multiply on symbolic tensors)."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.keras import layers, models
from tensorlet.layers.core import operation as O

RNG = np.random.default_rng(0)


def _hard_sigmoid_model():
    inp = layers.Input((4, 4, 3))
    x = layers.Conv2D(3, 1, name="conv")(inp)
    h = O.multiply(layers.ReLU(6.0, name="relu6")(O.add(x, 3.0)), 1.0 / 6.0)
    return models.Model(inp, O.add(inp, h))


def test_operations_run_in_the_graph_but_are_not_layers():
    model = _hard_sigmoid_model()
    assert [la.name for la in model.layers][1:] == ["conv", "relu6"]
    assert [type(op).__name__ for op in model.operations][1:] == ["Conv2D", "Add", "ReLU", "Multiply", "Add"]
    x = RNG.standard_normal((2, 4, 4, 3)).astype("float32")
    conv = model.get_layer("conv")
    z = conv(x).numpy()
    ref = x + np.clip(z + 3.0, 0, 6) / 6.0
    np.testing.assert_allclose(model.predict(x, verbose=0), ref, rtol=1e-5, atol=1e-6)


def test_a_number_may_come_first():
    x = tf.constant([[1.0, -2.0]])
    np.testing.assert_allclose(O.Multiply()(3.0, x).numpy(), [[3.0, -6.0]])
    np.testing.assert_allclose(O.Add()(x, x).numpy(), [[2.0, -4.0]])


def test_operations_broadcast_their_shapes():
    a, b = layers.Input((4, 4, 3)), layers.Input((1, 1, 3))
    assert tuple(O.multiply(a, b).shape) == (None, 4, 4, 3)


def test_operations_save_in_keras_3_form_and_round_trip(tmp_path):
    model = _hard_sigmoid_model()
    entries = model.get_config()["layers"]
    adds = [e for e in entries if e["class_name"] == "Add"]
    assert adds[0]["module"] == "keras.src.ops.numpy" and adds[0]["config"] == {"name": adds[0]["name"]}
    assert adds[0]["inbound_nodes"][0]["args"][1] == 3.0 and "build_config" not in adds[0]
    x = RNG.standard_normal((2, 4, 4, 3)).astype("float32")
    model.save(tmp_path / "m.keras")
    loaded = tf.keras.models.load_model(tmp_path / "m.keras")
    assert len(loaded.operations) == len(model.operations) and len(loaded.layers) == len(model.layers)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    clone = tf.keras.models.clone_model(model)
    assert [type(op).__name__ for op in clone.operations] == [type(op).__name__ for op in model.operations]


def test_operation_gradients_float64():
    tf.keras.backend.set_floatx("float64")
    try:
        a = RNG.standard_normal((2, 3))
        b = RNG.standard_normal((1, 3))
        gradcheck(lambda u, v: O.Multiply()(u, v), [a, b], name="multiply op")
        gradcheck(lambda u: O.Add()(u, 3.0), [a], name="add op")
    finally:
        tf.keras.backend.set_floatx("float32")


@pytest.mark.parity
def test_keras_3_reads_and_writes_operation_nodes(tmp_path):
    keras = pytest.importorskip("keras")
    model = _hard_sigmoid_model()
    x = RNG.standard_normal((2, 4, 4, 3)).astype("float32")
    model.save(tmp_path / "ours.keras")
    theirs = keras.models.load_model(tmp_path / "ours.keras")
    assert len(theirs.layers) == len(model.layers)
    np.testing.assert_allclose(theirs.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    theirs.save(tmp_path / "theirs.keras")
    back = tf.keras.models.load_model(tmp_path / "theirs.keras")
    np.testing.assert_allclose(back.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
