"""tf.TensorSpec: repr, compatibility, equality."""
from __future__ import annotations

import tensorlet as tf


def test_repr_and_compatibility():
    spec = tf.TensorSpec(shape=(None, 3), dtype=tf.float32)
    assert repr(spec) == "TensorSpec(shape=(None, 3), dtype=tf.float32, name=None)"
    assert repr(tf.TensorSpec([2])) == "TensorSpec(shape=(2,), dtype=tf.float32, name=None)"
    assert spec.is_compatible_with(tf.zeros((5, 3)))
    assert not spec.is_compatible_with(tf.zeros((5, 4)))
    assert not spec.is_compatible_with(tf.zeros((5, 3), dtype=tf.int32))
    assert spec.is_compatible_with(tf.TensorSpec((7, 3), tf.float32))


def test_from_tensor_and_equality():
    t = tf.constant([[1, 2]])
    assert tf.TensorSpec.from_tensor(t) == tf.TensorSpec((1, 2), tf.int32)
    assert tf.TensorSpec((1, 2), tf.int32) != tf.TensorSpec((1, 2), tf.float32)
    assert len({tf.TensorSpec((1,)), tf.TensorSpec((1,))}) == 1
