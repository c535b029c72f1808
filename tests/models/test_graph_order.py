"""Functional models list their layers in Keras' order (by depth from the outputs, then by first visit)."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet.keras import layers, models


def _branchy(L, Model):
    inp = L.Input((8, 8, 3), name="img")
    a = L.Conv2D(4, 1, name="main_1")(inp)
    a = L.Activation("relu", name="main_relu")(a)
    a = L.Conv2D(4, 3, padding="same", name="main_2")(a)
    s = L.Conv2D(4, 1, name="short")(inp)
    s = L.BatchNormalization(name="short_bn")(s)
    x = L.Add(name="sum")([s, a])
    b1 = L.Conv2D(2, 1, name="b1")(x)
    b2 = L.Conv2D(2, 1, name="b2a")(x)
    b2 = L.Conv2D(2, 3, padding="same", name="b2b")(b2)
    b3 = L.MaxPooling2D(3, 1, padding="same", name="b3")(x)
    return Model(inp, L.Concatenate(name="cat")([b1, b2, b3]))


# Measured with Keras 3.15: a shorter branch's layers sit deeper and come earlier than in call order
KERAS_ORDER = ["img", "main_1", "short", "main_relu", "short_bn", "main_2", "sum", "b2a", "b1", "b2b", "b3", "cat"]


def test_layers_follow_keras_depth_order_in_a_branchy_graph():
    model = _branchy(layers, models.Model)
    assert [la.name for la in model.layers] == KERAS_ORDER


def test_layer_order_does_not_change_the_computation():
    model = _branchy(layers, models.Model)
    x = np.random.default_rng(0).standard_normal((2, 8, 8, 3)).astype("float32")
    by_layers = {la.name: la for la in model.layers}
    a = by_layers["main_2"](by_layers["main_relu"](by_layers["main_1"](x)))
    s = by_layers["short_bn"](by_layers["short"](x))
    h = a.numpy() + s.numpy()
    b2 = by_layers["b2b"](by_layers["b2a"](h)).numpy()
    ref = np.concatenate([by_layers["b1"](h).numpy(), b2, by_layers["b3"](h).numpy()], axis=-1)
    np.testing.assert_allclose(model.predict(x, verbose=0), ref, rtol=1e-5, atol=1e-5)


def test_a_sequential_chain_keeps_its_order():
    model = models.Sequential([layers.Input((3,)), layers.Dense(2, name="d1"), layers.Dense(1, name="d2")])
    assert [la.name for la in model.layers] == ["d1", "d2"]


@pytest.mark.parity
def test_layer_order_matches_keras_3():
    keras = pytest.importorskip("keras")
    theirs = [la.name for la in _branchy(keras.layers, keras.Model).layers]
    assert [la.name for la in _branchy(layers, models.Model).layers] == theirs


def test_model_input_and_output_are_the_graph_ends():
    model = _branchy(layers, models.Model)
    assert model.input is model.inputs[0] and model.output is model.outputs[0]
    features = models.Model(model.input, model.get_layer("sum").output)
    assert features.output_shape == (None, 8, 8, 4)
