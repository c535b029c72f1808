"""Nested layer inputs and outputs (tensorlet/layers/nest.py and the Layer call paths built on tensorlet.tree)."""
from __future__ import annotations

import collections

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models
from tensorlet.layers.nest import _any_symbolic, _first_shape, _shapes, _to_tensors

Pair = collections.namedtuple("Pair", "left right")


class Recorder(layers.Layer):
    """Keeps what build and call received; returns its inputs' first tensor."""

    def build(self, input_shape):
        self.seen_shape = input_shape

    def call(self, inputs):
        self.seen_inputs = inputs
        return tf.nest.flatten(inputs)[0]


def test_to_tensors_converts_leaves_and_keeps_containers():
    x = {"b": Pair(np.ones((2, 3), "float64"), [1.0, 2.0]), "a": (np.zeros(2, "int64"), "text", None)}
    out = _to_tensors(x)
    assert list(out) == ["b", "a"] and type(out["b"]) is Pair and type(out["a"]) is tuple
    assert out["b"].left.dtype == tf.float32 and tuple(out["b"].right.shape) == (2,)
    assert out["a"][0].dtype == tf.int64 and out["a"][1] == "text" and out["a"][2] is None


def test_shapes_and_first_shape_follow_the_structure():
    t = tf.zeros((4, 3))
    assert _shapes(t) == (4, 3)
    assert _shapes({"z": t, "a": (t, None)}) == {"z": (4, 3), "a": ((4, 3), None)}
    assert _first_shape({"b": (None, 2), "a": (None, 5)}) == (None, 5)
    assert _first_shape([[None, 7]]) == (None, 7) and _first_shape([]) == ()


def test_any_symbolic_finds_a_keras_tensor_anywhere():
    k = layers.Input(shape=(3,))
    assert _any_symbolic({"x": [1, (k,)]}) and not _any_symbolic([tf.zeros(2), {"a": None}])


def test_build_sees_a_tuple_of_shapes_eagerly_and_symbolically():
    eager = Recorder()
    eager((np.ones((2, 3), "float32"), np.ones((2, 4), "float32")))
    assert eager.seen_shape == ((2, 3), (2, 4)) and type(eager.seen_shape) is tuple
    symbolic = Recorder()
    symbolic((layers.Input(shape=(3,)), layers.Input(shape=(4,))))
    assert symbolic.seen_shape == ((None, 3), (None, 4)) and type(symbolic.seen_shape) is tuple


def test_call_receives_a_namedtuple_and_a_dict_in_their_own_types():
    rec = Recorder()
    out = rec(Pair(np.ones((2, 3), "float32"), np.zeros((2, 1), "float32")))
    assert type(rec.seen_inputs) is Pair and isinstance(rec.seen_inputs.right, tf.Tensor)
    assert tuple(out.shape) == (2, 3)
    rec2 = Recorder()
    rec2({"z": np.ones((2, 1), "float32"), "a": np.ones((2, 5), "float32")})
    assert list(rec2.seen_inputs) == ["z", "a"] and rec2.seen_shape == {"z": (2, 1), "a": (2, 5)}


class Split(layers.Layer):
    """Dict outputs, declared in reverse key order."""

    def call(self, x):
        return {"second": x[:, :1], "first": x[:, 1:]}

    def compute_output_shape(self, input_shape):
        return {"second": [input_shape[0], 1], "first": (input_shape[0], input_shape[1] - 1)}


def test_symbolic_dict_outputs_keep_keys_and_take_list_shapes():
    out = Split()(layers.Input(shape=(4,)))
    assert list(out) == ["second", "first"]
    assert tuple(out["second"].shape) == (None, 1) and tuple(out["first"].shape) == (None, 3)


def test_dict_output_layer_inside_a_functional_model_and_its_config():
    inp = layers.Input(shape=(4,))
    parts = Split(name="split")(inp)
    model = models.Model(inp, [layers.Dense(2, name="d1")(parts["first"]), parts["second"]])
    x = np.arange(8, dtype="float32").reshape(2, 4)
    y1, y2 = model(x)
    np.testing.assert_allclose(y2.numpy(), x[:, :1])
    again = models.model_from_json(model.to_json(), custom_objects={"Split": Split})
    again.set_weights(model.get_weights())
    np.testing.assert_allclose(again(x)[0].numpy(), y1.numpy(), rtol=1e-6)
    np.testing.assert_allclose(again(x)[1].numpy(), x[:, :1])


def test_build_config_round_trips_shapes_in_any_structure():
    d = layers.Dense(2)
    d.build_from_config({"input_shape": [None, 3]})
    assert d.kernel.shape == (3, 2) and d.get_build_config() == {"input_shape": [None, 3]}
    rec = Recorder()
    rec({"b": np.ones((1, 2), "float32"), "a": np.ones((1, 3), "float32")})
    config = rec.get_build_config()
    assert config == {"input_shape": {"b": [1, 2], "a": [1, 3]}}
    again = Recorder()
    again.build_from_config(config)
    assert again.seen_shape == {"b": (1, 2), "a": (1, 3)}
    pair = Recorder()
    pair.build_from_config({"input_shape": [[None, 2], [None, 3]]})
    assert pair.seen_shape == [(None, 2), (None, 3)]


def test_activity_regularizer_sums_over_nested_outputs():
    class Both(layers.Layer):
        def call(self, x):
            return {"b": x, "a": [x * 2.0]}

    layer = Both(activity_regularizer="l1")
    layer(np.ones((1, 2), "float32"))
    assert sorted(float(v) for v in layer.losses) == pytest.approx([0.02, 0.04])
