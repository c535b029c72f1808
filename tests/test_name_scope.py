"""tf.name_scope: nested prefixes for the names of variables created inside, absolute scopes, per thread."""
from __future__ import annotations

import threading

import pytest

import tensorlet as tf


def test_nested_scopes_prefix_variable_names():
    with tf.name_scope("outer") as outer:
        with tf.name_scope("inner") as inner:
            v = tf.Variable(1.0, name="v")
        w = tf.Variable(1.0)
    assert (outer, inner) == ("outer/", "outer/inner/")
    assert v.name == "outer/inner/v:0" and w.name == "outer/Variable:0"
    assert tf.Variable(0.0, name="x").name == "x:0"


def test_absolute_scope_reenters_and_empty_scope_clears():
    with tf.name_scope("a"):
        with tf.name_scope("b/"):
            assert tf.Variable(0.0, name="v").name == "b/v:0"
        with tf.name_scope(""):
            assert tf.Variable(0.0, name="v").name == "v:0"


def test_keras_weights_are_named_by_their_layer_not_by_the_scope():
    with tf.name_scope("block"):
        layer = tf.keras.layers.Dense(2, name="d")
        layer.build((None, 3))
    assert layer.kernel.name == "d/kernel:0"


def test_bad_names_are_refused():
    with pytest.raises(ValueError, match="not a valid scope name"):
        tf.name_scope("-bad")
    with pytest.raises(TypeError, match="must be a string"):
        tf.name_scope(3)


def test_scopes_are_per_thread():
    seen = []
    with tf.name_scope("main"):
        t = threading.Thread(target=lambda: seen.append(tf.Variable(0.0, name="t").name))
        t.start()
        t.join()
    assert seen == ["t:0"]
