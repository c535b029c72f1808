"""The eager context: executing_eagerly and tf.device."""
from __future__ import annotations

import pytest

import tensorlet as tf


def test_executing_eagerly_is_always_true():
    assert tf.executing_eagerly() is True
    assert tf.compat.v1.executing_eagerly() is True


@pytest.mark.parametrize("name", ["/CPU:0", "/cpu:0", "GPU:0", "/device:GPU:1", "/gpu:*",
                                  "/job:localhost/replica:0/task:0/device:CPU:0", None])
def test_device_accepts_tensorflow_device_strings_with_soft_placement(name):
    with tf.device(name):
        assert float(tf.constant(2.0) * 3.0) == 6.0


def test_device_rejects_malformed_names():
    with pytest.raises(ValueError, match="tf.device: malformed device specification 'banana'"):
        with tf.device("banana"):
            pass
