"""RaggedTensorSpec: TensorFlow's repr, defaults and compatibility."""
from __future__ import annotations

import pytest

import tensorlet as tf


def test_ragged_tensor_spec():
    spec = tf.RaggedTensorSpec(shape=(2, None), dtype=tf.int32)
    assert repr(spec) == "RaggedTensorSpec(TensorShape([2, None]), tf.int32, 1, tf.int64)"
    assert spec.is_compatible_with(tf.ragged.constant([[1, 2], [3]]))
    assert not spec.is_compatible_with(tf.ragged.constant([[1.0], [3.0]]))
    with pytest.raises(ValueError, match="ragged_rank"):
        tf.RaggedTensorSpec(shape=(2,), ragged_rank=1)
