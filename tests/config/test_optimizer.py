"""tf.config.optimizer and run_functions_eagerly: accepted and read back."""
from __future__ import annotations

import pytest

import tensorlet as tf


def test_set_jit_accepts_tensorflow_values():
    assert tf.config.optimizer.get_jit() == ""
    tf.config.optimizer.set_jit(True)
    assert tf.config.optimizer.get_jit() == "autoclustering"
    tf.config.optimizer.set_jit(False)
    assert tf.config.optimizer.get_jit() == ""
    with pytest.raises(ValueError, match="set_jit: expected True, False or 'autoclustering'"):
        tf.config.optimizer.set_jit("fast")


def test_experimental_options_merge():
    tf.config.optimizer.set_experimental_options({"layout_optimizer": False})
    assert tf.config.optimizer.get_experimental_options()["layout_optimizer"] is False


def test_run_functions_eagerly_round_trips():
    assert tf.config.functions_run_eagerly() is False
    tf.config.run_functions_eagerly(True)
    try:
        assert tf.config.functions_run_eagerly() is True
        assert tf.config.experimental_functions_run_eagerly() is True
    finally:
        tf.config.run_functions_eagerly(False)


def test_config_keeps_the_keras_globals():
    assert tf.config.floatx() == "float32" and tf.config.epsilon() == 1e-7
    assert tf.config.image_data_format() == "channels_last"
