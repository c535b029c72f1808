"""tf.config devices: the CPU reported as TensorFlow reports it, GPUs while a GPU backend is active."""
from __future__ import annotations

import types

import pytest

import tensorlet as tf
from tensorlet import backend
from tensorlet.config import devices


@pytest.fixture(autouse=True)
def _fresh_devices():
    devices.reset()
    yield
    devices.reset()


class _FakeCupyBackend:
    """Stands for the CuPy backend on a machine with two GPUs."""

    name = "cupy"
    xp = types.SimpleNamespace(cuda=types.SimpleNamespace(runtime=types.SimpleNamespace(getDeviceCount=lambda: 2)))


def test_list_physical_devices_reports_the_cpu_as_tensorflow():
    cpu = tf.config.list_physical_devices()
    assert cpu == [tf.config.PhysicalDevice(name="/physical_device:CPU:0", device_type="CPU")]
    assert repr(cpu[0]) == "PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')"
    assert cpu[0].name == "/physical_device:CPU:0" and cpu[0].device_type == "CPU"
    assert tf.config.list_physical_devices("GPU") == [] and tf.config.list_physical_devices("gpu") == []
    assert tf.config.list_physical_devices("TPU") == []
    assert tf.config.experimental.list_physical_devices("CPU") == cpu


def test_list_logical_devices_name_the_device_without_physical_prefix():
    assert [repr(d) for d in tf.config.list_logical_devices()] == [
        "LogicalDevice(name='/device:CPU:0', device_type='CPU')"]
    assert tf.config.list_logical_devices("GPU") == []


def test_gpus_are_listed_while_a_gpu_backend_is_active(monkeypatch):
    monkeypatch.setattr(backend, "_current", _FakeCupyBackend())
    gpus = tf.config.list_physical_devices("GPU")
    assert [g.name for g in gpus] == ["/physical_device:GPU:0", "/physical_device:GPU:1"]
    for gpu in gpus:  # the usual boilerplate loop
        tf.config.experimental.set_memory_growth(gpu, True)
    assert tf.config.experimental.get_memory_growth(gpus[0]) is True
    assert tf.test.is_gpu_available() and tf.test.gpu_device_name() == "/device:GPU:0"
    tf.config.set_visible_devices(gpus[0], "GPU")
    assert tf.config.get_visible_devices("GPU") == [gpus[0]]
    assert [d.name for d in tf.config.list_logical_devices("GPU")] == ["/device:GPU:0"]
    tf.config.set_logical_device_configuration(gpus[0], [tf.config.LogicalDeviceConfiguration(memory_limit=1024)])
    assert tf.config.get_logical_device_configuration(gpus[0])[0].memory_limit == 1024


def test_set_visible_devices_hides_gpus_and_keeps_the_cpu():
    tf.config.set_visible_devices([], "GPU")
    assert tf.config.get_visible_devices() == tf.config.list_physical_devices("CPU")
    with pytest.raises(ValueError, match="CPU cannot be hidden"):
        tf.config.set_visible_devices([], "CPU")


def test_set_visible_devices_rejects_unknown_devices_by_name():
    with pytest.raises(ValueError, match="set_visible_devices: unrecognized device"):
        tf.config.set_visible_devices([tf.config.PhysicalDevice("/physical_device:GPU:7", "GPU")])
    with pytest.raises(ValueError, match="is not a GPU device"):
        tf.config.set_visible_devices(tf.config.list_physical_devices("CPU"), "GPU")
    with pytest.raises(TypeError, match="device_type must be a string"):
        tf.config.list_physical_devices(3)


def test_memory_growth_on_the_cpu_raises_as_tensorflow():
    cpu = tf.config.list_physical_devices("CPU")[0]
    with pytest.raises(ValueError, match="set_memory_growth: cannot set memory growth on non-GPU"):
        tf.config.experimental.set_memory_growth(cpu, True)


def test_soft_device_placement_round_trips():
    assert tf.config.get_soft_device_placement() is True
    tf.config.set_soft_device_placement(False)
    assert tf.config.get_soft_device_placement() is False
    tf.config.set_soft_device_placement(True)


def test_connecting_to_a_cluster_fails_naming_the_symbol():
    with pytest.raises(ValueError, match="experimental_connect_to_cluster is not provided by tensorlet"):
        tf.config.experimental_connect_to_cluster(None)
