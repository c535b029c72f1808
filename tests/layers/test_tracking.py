"""Attribute tracking: variables, layers and containers held by subclassed models and layers (issue 25 item 1)."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models, optimizers

XS = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])
YS = 2.0 * XS - 1.0


class Line(models.Model):
    """y = w x + b with both parameters as plain tf.Variable attributes (the course example)."""

    def __init__(self):
        super().__init__()
        self.w = tf.Variable(0.0)
        self.b = tf.Variable(0.0)

    def call(self, x):
        return x * self.w + self.b


class Inner(layers.Layer):
    def __init__(self):
        super().__init__()
        self.d = layers.Dense(2, name="d")
        self.v = tf.Variable(1.0, name="v")
        self.nt = tf.Variable(2.0, trainable=False, name="nt")
        self.lst = [tf.Variable(3.0, name="l0"), {"b": tf.Variable(4.0, name="db"), "a": tf.Variable(5.0, name="da")}]

    def build(self, input_shape):
        self.k = self.add_weight(name="k", shape=(1,))

    def call(self, x):
        return self.d(x) * self.v


class Outer(models.Model):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(0.5, name="w")
        self.inner = Inner()
        self.stack = [layers.Dense(1, name="s0"), layers.Dense(1, name="s1")]
        self.heads = {"z": layers.Dense(1, name="z"), "y": layers.Dense(1, name="y")}

    def call(self, x):
        h = self.stack[1](self.stack[0](self.inner(x)))
        return self.heads["y"](self.heads["z"](h)) * self.w


def _names(variables):
    """Variable names without the layer scope and the ':0' suffix TensorFlow 2 gives them."""
    assert all(v.name.endswith(":0") for v in variables)
    return [v.name[:-2].rsplit("/", 1)[-1] for v in variables]


def test_variable_attributes_of_a_subclassed_model_train_under_fit():
    model = Line()
    model.compile(optimizer=optimizers.SGD(0.05), loss="mse")
    history = model.fit(XS, YS, epochs=40, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.1 * losses[0]
    assert len(model.trainable_variables) == 2
    assert abs(float(model.w.numpy()) - 2.0) < 0.3


def test_tracked_weights_come_in_tf_keras_2_order():
    """Orders observed with tf_keras 2.21: a layer's own variables (attribute and add_weight ones in creation
    order, a dict's by sorted key) before its sublayers'; a Model's own after its sublayers'."""
    model = Outer()
    model(np.zeros((1, 3), "float32"))
    inner_trainable = ["v", "l0", "da", "db", "k", "kernel", "bias"]
    assert _names(model.inner.trainable_weights) == inner_trainable
    assert _names(model.inner.weights) == inner_trainable + ["nt"]
    assert _names(model.non_trainable_weights) == ["nt"]
    assert _names(model.trainable_weights) == inner_trainable + ["kernel", "bias"] * 4 + ["w"]
    assert _names(model.weights) == inner_trainable + ["nt"] + ["kernel", "bias"] * 4 + ["w"]
    assert model.variables == model.weights
    assert [la.name for la in model.layers] == [model.inner.name, "s0", "s1", "y", "z"]
    assert model.count_params() == 24
    assert [w.shape for w in model.get_weights()][-1] == ()


def test_containers_are_searched_at_any_depth_and_appends_count():
    class Blocks(models.Model):
        def __init__(self):
            super().__init__()
            self.hidden = []
            for units in (4, 3):
                self.hidden.append(layers.Dense(units))
            self.scales = []
            self.pair = (layers.Dense(2), [layers.Dense(2)])

        def call(self, x):
            for layer in self.hidden:
                x = layer(x)
            return self.pair[1][0](self.pair[0](x))

    model = Blocks()
    model.scales.append(tf.Variable(1.0, name="scale"))
    model(np.zeros((2, 5), "float32"))
    assert len(model.layers) == 4
    assert len(model.trainable_weights) == 9 and _names(model.trainable_weights)[-1] == "scale"


def test_reassigning_or_deleting_an_attribute_forgets_what_it_held():
    layer = layers.Layer()
    layer.v = tf.Variable(1.0, name="old")
    layer.v = tf.Variable(2.0, name="new")
    assert _names(layer.weights) == ["new"]
    layer.alias = layer.v
    layer.v = None
    assert _names(layer.weights) == ["new"]  # still held by `alias`
    del layer.alias
    assert layer.weights == []
    layer.d = layers.Dense(1)
    layer.d = None
    assert layer._sublayers == []


def test_non_trainable_variables_and_frozen_layers_are_not_trained():
    model = Line()
    model.b = tf.Variable(0.5, trainable=False)
    model.compile(optimizer=optimizers.SGD(0.05), loss="mse")
    model.fit(XS, YS, epochs=3, verbose=0)
    assert float(model.b.numpy()) == 0.5 and float(model.w.numpy()) != 0.0
    assert [v.name for v in model.non_trainable_weights] == [model.b.name]
    model.trainable = False
    assert model.trainable_weights == [] and len(model.non_trainable_weights) == 2


def test_summary_and_get_set_weights_count_attribute_variables():
    model = Outer()
    model(np.zeros((1, 3), "float32"))
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "Total params: 24" in text and "Trainable params: 23" in text and "Non-trainable params: 1" in text
    values = model.get_weights()
    values[-1] = np.array(3.0, "float32")
    model.set_weights(values)
    assert float(model.w.numpy()) == 3.0


def test_assigning_variables_before_super_init_says_what_is_missing():
    class Early(models.Model):
        def __init__(self):
            self.w = tf.Variable(1.0)
            super().__init__()

    with pytest.raises(RuntimeError, match=r"forgot to call `super\(\).__init__\(\)`"):
        Early()
