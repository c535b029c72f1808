"""tf.config.experimental: memory info, determinism and TF32 switches."""
from __future__ import annotations

import pytest

import tensorlet as tf


def test_get_memory_info_reports_the_cpu_and_rejects_missing_gpus():
    info = tf.config.experimental.get_memory_info("CPU:0")
    assert set(info) == {"current", "peak"} and info["peak"] >= 0
    assert tf.config.experimental.get_memory_info("/device:CPU:0") == tf.config.experimental.get_memory_info("CPU")
    with pytest.raises(ValueError, match="no matching devices found for 'GPU:0'"):
        tf.config.experimental.get_memory_info("GPU:0")


def test_switches_are_recorded():
    tf.config.experimental.enable_op_determinism()
    tf.config.experimental.enable_tensor_float_32_execution(False)
    assert tf.config.experimental.tensor_float_32_execution_enabled() is False
    tf.config.experimental.enable_tensor_float_32_execution(True)
    assert tf.config.experimental.get_synchronous_execution() is True
    assert tf.config.experimental.get_device_details(tf.config.list_physical_devices()[0]) == {}
    with pytest.raises(ValueError, match="unknown policy"):
        tf.config.experimental.set_device_policy("loud")


def test_old_spellings_of_device_functions_exist():
    exp = tf.config.experimental
    assert exp.list_logical_devices() == tf.config.list_logical_devices()
    assert exp.VirtualDeviceConfiguration is tf.config.LogicalDeviceConfiguration
    assert exp.get_visible_devices() == tf.config.get_visible_devices()
